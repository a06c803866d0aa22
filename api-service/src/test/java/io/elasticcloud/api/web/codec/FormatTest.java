package io.elasticcloud.api.web.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatTest {

    // An empty first column is a missing header (null); '' is a header with an empty value.
    @ParameterizedTest(name = "Content-Type [{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
        "                                  | TEXT",
        "''                                | TEXT",
        "text/plain                        | TEXT",
        "text/plain; charset=utf-8         | TEXT",
        "application/json                  | JSON",
        "application/json; charset=utf-8   | JSON",
        "APPLICATION/JSON;charset=UTF-8    | JSON",
        "' application/json '              | JSON",
        "application/x-www-form-urlencoded | TEXT",
        "application/octet-stream          | TEXT",
        "*/*                               | TEXT",
        "application/jsonx                 | TEXT",
        "garbage                           | TEXT",
        // malformed headers fall back to text; once an ArrayIndexOutOfBounds (a 500 after the command ran)
        "';'                               | TEXT",
        "';;;'                             | TEXT",
        "' ; '                             | TEXT",
        "';charset=utf-8'                  | TEXT",
        "'/'                               | TEXT",
        "'application/json;'               | JSON",
        "'application/json;;q'             | JSON",
    })
    void requestFormatFromContentType(String contentType, Format expected) {
        assertEquals(expected, Format.ofContentType(contentType));
    }

    @ParameterizedTest(name = "Accept [{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
        "                                                        | TEXT",
        "''                                                      | TEXT",
        "*/*                                                     | TEXT",
        "text/plain                                              | TEXT",
        "application/json                                        | JSON",
        "application/json; charset=utf-8                         | JSON",
        "Application/JSON                                        | JSON",
        "application/*                                           | JSON",
        "text/*                                                  | TEXT",
        "text/html                                               | TEXT",
        "application/xml                                         | TEXT",
        "application/json, text/plain                            | JSON",
        "text/plain, application/json                            | TEXT",
        "application/json, */*                                   | JSON",
        "*/*, application/json                                   | JSON",
        "text/*, application/json                                | JSON",
        "application/json, text/plain, */*                       | JSON",
        "text/plain;q=0.5, application/json                      | JSON",
        "application/json;q=0.5, text/plain                      | TEXT",
        "application/json;q=0.9, text/plain;q=0.8                | JSON",
        "application/json;q=0                                    | TEXT",
        "application/json;q=0, */*                               | TEXT",
        "*/*;q=0.1, application/json                             | JSON",
        "application/json; charset=utf-8; q=0.7, text/plain;q=0.6 | JSON",
        "application/json;q=abc                                  | JSON",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8 | TEXT",
        "garbage                                                 | TEXT",
        "',,'                                                    | TEXT",
        // malformed elements are skipped, never an error (once an ArrayIndexOutOfBounds)
        "';'                                                     | TEXT",
        "';, application/json'                                   | JSON",
        "'application/json, ;'                                   | JSON",
        "';q=0, application/json'                                | JSON",
        "', ; ,;;,'                                              | TEXT",
        "'application/json;q=1e99999999999'                      | JSON",
        "'application/json;q=-1'                                 | TEXT",
        "'application/json;q=NaN, text/plain;q=0.5'              | JSON",
        "'/, /json'                                              | TEXT",
    })
    void responseFormatFromAccept(String accept, Format expected) {
        assertEquals(expected, Format.ofAccept(accept));
    }

    @Test
    void mediaTypes() {
        assertEquals("text/plain; charset=utf-8", Format.TEXT.mediaType());
        assertEquals("application/json", Format.JSON.mediaType());
    }
}
