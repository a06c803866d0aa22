package io.elasticcloud.api.web.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ApiTextTest {

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("Drive not found", "Drive not found\n"),
                Arguments.of("Drive not found\n", "Drive not found\n"),
                Arguments.of("two\nlines", "two lines\n"),
                Arguments.of("two\r\n\r\nlines", "two lines\n"),
                Arguments.of("tab\there", "tab here\n"),
                Arguments.of("bell\u0007and\u0000nul", "bell and nul\n"),
                Arguments.of("  padded  ", "padded\n"),
                Arguments.of("ünïcødé 名前", "ünïcødé 名前\n"),
                Arguments.of("", "\n"),
                Arguments.of(null, "\n"),
                Arguments.of("x".repeat(600), "x".repeat(497) + "...\n"));
    }

    @ParameterizedTest
    @MethodSource
    void lines(String text, String expected) {
        assertEquals(expected, ApiText.line(text));
    }

    static Stream<Arguments> quotes() {
        return Stream.of(
                Arguments.of("men", "\"men\""),
                Arguments.of("", "\"\""),
                Arguments.of("a\nb\rc\td", "\"a\\nb\\rc\\td\""),
                Arguments.of("nul\u0000", "\"nul\\u0000\""),
                Arguments.of("名前", "\"名前\""),
                Arguments.of("k".repeat(65), "\"" + "k".repeat(64) + "...\""));
    }

    @ParameterizedTest
    @MethodSource
    void quotes(String value, String expected) {
        assertEquals(expected, ApiText.quote(value));
    }

    static Stream<Arguments> errorBodies() {
        return Stream.of(
                Arguments.of(ElasticException.usage("Key %s is not known", ApiText.quote("men")), "Key \"men\" is not known\n"),
                Arguments.of(ElasticException.missing("Drive\nnot found"), "Drive not found\n"),
                Arguments.of(new ElasticException(ErrorType.BUSY, null), "busy\n"),
                Arguments.of(new ElasticException(ErrorType.SYSTEM, " "), "system\n"));
    }

    @ParameterizedTest
    @MethodSource
    void errorBodies(ElasticException e, String expected) {
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), ApiText.errorBody(e));
    }
}
