package io.elasticcloud.api.web.codec;

import java.util.Locale;

/**
 * The two body formats of the API. The request's format comes from {@code Content-Type}, the
 * response's from {@code Accept}; text is the default whenever the header says nothing we know,
 * because the original API was text-first and its command-line tools send no useful header
 * (curl's {@code --data} sends {@code application/x-www-form-urlencoded}).
 */
public enum Format {
    TEXT("text/plain; charset=utf-8"),
    JSON("application/json");

    private final String mediaType;

    Format(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The {@code Content-Type} of a response body in this format. */
    public String mediaType() {
        return mediaType;
    }

    /** The format of a request body: JSON only for {@code application/json}, parameters ignored. */
    public static Format ofContentType(String contentType) {
        if (contentType == null) {
            return TEXT;
        }
        MediaRange range = MediaRange.parse(contentType, 0);
        return range.is("application", "json") ? JSON : TEXT;
    }

    /**
     * The format a client accepts best. JSON only when {@code application/json} is acceptable
     * (q &gt; 0) and preferred over {@code text/plain}: by q-value, then by the more specific
     * matching range, then by the range listed first. A tie that both win through the same range
     * (as with a lone {@code *}{@code /*}) goes to text, the API's default.
     */
    public static Format ofAccept(String accept) {
        if (accept == null || accept.isBlank()) {
            return TEXT;
        }
        String[] ranges = accept.split(",");
        Match json = Match.NONE;
        Match text = Match.NONE;
        for (int i = 0; i < ranges.length; i++) {
            MediaRange range = MediaRange.parse(ranges[i], i);
            json = json.better(range.match("application", "json"));
            text = text.better(range.match("text", "plain"));
        }
        return json.q > 0 && json.beats(text) ? JSON : TEXT;
    }

    /** One {@code type/subtype;q=...} element of a header, lower-cased. */
    private record MediaRange(String type, String subtype, double q, int index) {

        /**
         * Total: any text gives a range. An element with no name (";", "", ";q=1") gives the
         * empty type, which matches nothing, so a malformed header falls back to text.
         */
        static MediaRange parse(String element, int index) {
            String[] parts = element.split(";", -1);
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
            int slash = name.indexOf('/');
            String type = slash < 0 ? name : name.substring(0, slash).trim();
            String subtype = slash < 0 ? "" : name.substring(slash + 1).trim();
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim().toLowerCase(Locale.ROOT);
                if (param.startsWith("q=")) {
                    q = quality(param.substring(2).trim());
                }
            }
            return new MediaRange(type, subtype, q, index);
        }

        // A malformed q is ignored (q stays 1) rather than answered with an error: negotiation
        // must never fail a call, and a client that names a type still wants it.
        private static double quality(String value) {
            try {
                double q = Double.parseDouble(value);
                return Double.isNaN(q) ? 1 : Math.max(0, Math.min(1, q));
            } catch (NumberFormatException e) {
                return 1;
            }
        }

        boolean is(String wantedType, String wantedSubtype) {
            return type.equals(wantedType) && subtype.equals(wantedSubtype);
        }

        /** How this range matches the wanted type: specificity 2 exact, 1 {@code type/*}, 0 {@code *}{@code /*}. */
        Match match(String wantedType, String wantedSubtype) {
            if (is(wantedType, wantedSubtype)) {
                return new Match(q, 2, index);
            }
            if (type.equals(wantedType) && subtype.equals("*")) {
                return new Match(q, 1, index);
            }
            if (type.equals("*") && subtype.equals("*")) {
                return new Match(q, 0, index);
            }
            return Match.NONE;
        }
    }

    /** The range that decides a type's q-value: the most specific one that matches (RFC 9110). */
    private record Match(double q, int specificity, int index) {
        static final Match NONE = new Match(0, -1, Integer.MAX_VALUE);

        Match better(Match other) {
            if (other.specificity != specificity) {
                return other.specificity > specificity ? other : this;
            }
            return other.index < index ? other : this;
        }

        boolean beats(Match other) {
            if (q != other.q) {
                return q > other.q;
            }
            if (specificity != other.specificity) {
                return specificity > other.specificity;
            }
            return index < other.index;
        }
    }
}
