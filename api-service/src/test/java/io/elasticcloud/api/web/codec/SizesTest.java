package io.elasticcloud.api.web.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SizesTest {

    /** The notation's own table is io.elasticcloud.codec.SizesTest; here only that this reads by it. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "4194304,             4194304",
        "160G,                171798691840",
        "8388607T,            9223370937343148032",
    })
    void parsesBytesWithBinarySuffixes(String value, long expected) {
        assertEquals(expected, Sizes.parse(value));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''                   | Invalid size \"\": use a whole number of bytes, optionally with a suffix k, M, G or T",
        "-1                   | Invalid size \"-1\": use a whole number of bytes, optionally with a suffix k, M, G or T",
        "+1                   | Invalid size \"+1\": use a whole number of bytes, optionally with a suffix k, M, G or T",
        "1.5G                 | Invalid size \"1.5G\": use a whole number of bytes, optionally with a suffix k, M, G or T",
        "4MB                  | Invalid size \"4MB\": use a whole number of bytes, optionally with a suffix k, M, G or T",
        "1GB                  | Invalid size \"1GB\": use a whole number of bytes, optionally with a suffix k, M, G or T",
        "10b                  | Invalid size \"10b\": use a whole number of bytes, optionally with a suffix k, M, G or T",
        "G                    | Invalid size \"G\": use a whole number of bytes, optionally with a suffix k, M, G or T",
        "1P                   | Invalid size \"1P\": use a whole number of bytes, optionally with a suffix k, M, G or T",
        "' 1G'                | Invalid size \" 1G\": use a whole number of bytes, optionally with a suffix k, M, G or T",
        "'1G '                | Invalid size \"1G \": use a whole number of bytes, optionally with a suffix k, M, G or T",
        "1 G                  | Invalid size \"1 G\": use a whole number of bytes, optionally with a suffix k, M, G or T",
        "0x10                 | Invalid size \"0x10\": use a whole number of bytes, optionally with a suffix k, M, G or T",
        "1e9                  | Invalid size \"1e9\": use a whole number of bytes, optionally with a suffix k, M, G or T",
        "١٢٣                  | Invalid size \"١٢٣\": use a whole number of bytes, optionally with a suffix k, M, G or T",
        "lots                 | Invalid size \"lots\": use a whole number of bytes, optionally with a suffix k, M, G or T",
        "9223372036854775808  | Size \"9223372036854775808\" is too large",
        "8388608T             | Size \"8388608T\" is too large",
        "99999999999999999999G | Size \"99999999999999999999G\" is too large",
    })
    void refusesAnythingElseNamingTheValue(String value, String message) {
        ElasticException e = assertThrows(ElasticException.class, () -> Sizes.parse(value));
        assertEquals(ErrorType.USAGE, e.type());
        assertEquals(message, e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void nullIsAnEmptySize() {
        ElasticException e = assertThrows(ElasticException.class, () -> Sizes.parse(null));
        assertEquals(ErrorType.USAGE, e.type());
        assertEquals("Invalid size \"\": use a whole number of bytes, optionally with a suffix k, M, G or T",
                e.getMessage());
    }
}
