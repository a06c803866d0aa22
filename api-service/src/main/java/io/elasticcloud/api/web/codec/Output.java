package io.elasticcloud.api.web.codec;

/** The {@code X-Elastic-Output} header: which of the spec's shapes a response body has. */
public enum Output {
    /** One object, or several objects (text: blocks separated by one blank line). */
    PROPERTIES("properties"),
    /** One line of values per item (text), an array of objects (JSON). */
    LIST("list");

    private final String header;

    Output(String header) {
        this.header = header;
    }

    /** The value of the {@code X-Elastic-Output} header. */
    public String header() {
        return header;
    }
}
