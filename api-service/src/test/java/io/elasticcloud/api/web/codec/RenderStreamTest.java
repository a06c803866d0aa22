package io.elasticcloud.api.web.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * A listing written one object at a time: after each object the stream holds exactly the answer so
 * far (nothing kept back, so a listing's memory is one object), and the whole is {@link Render}'s.
 */
class RenderStreamTest {
    private static final String D1 = "0f962616-4e7e-4c3e-a9ed-9d2a8c6d6b4b";
    private static final String D2 = "7ab4b1d1-6f3c-4b1a-9a0e-2a3b4c5d6e7f";

    private static Map<String, String> object(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static final Map<String, String> A = object("name", "a", "drive", D1, "size", "1024");
    private static final Map<String, String> B = object("name", "b b", "drive", D2, "tags", "");
    private static final Map<String, String> NOTHING = object("tags", "");

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("objects, text", Format.TEXT, null, List.of(A, B),
                        List.of("name a\ndrive " + D1 + "\nsize 1024\n",
                                "name a\ndrive " + D1 + "\nsize 1024\n\nname b b\ndrive " + D2 + "\n"), ""),
                Arguments.of("objects, text: one with no value has no block and no blank line", Format.TEXT, null,
                        List.of(NOTHING, A, NOTHING, B),
                        List.of("", "name a\ndrive " + D1 + "\nsize 1024\n", "name a\ndrive " + D1 + "\nsize 1024\n",
                                "name a\ndrive " + D1 + "\nsize 1024\n\nname b b\ndrive " + D2 + "\n"), ""),
                Arguments.of("objects, JSON", Format.JSON, null, List.of(A, B),
                        List.of("[{\"name\":\"a\",\"drive\":\"" + D1 + "\",\"size\":1024}",
                                "[{\"name\":\"a\",\"drive\":\"" + D1 + "\",\"size\":1024},{\"name\":\"b b\",\"drive\":\"" + D2 + "\"}"),
                        "]"),
                Arguments.of("no objects, text", Format.TEXT, null, List.of(), List.of(), ""),
                Arguments.of("no objects, JSON", Format.JSON, null, List.of(), List.of(), "[]"),
                Arguments.of("list, text", Format.TEXT, List.of("drive"), List.of(A, B),
                        List.of(D1 + "\n", D1 + "\n" + D2 + "\n"), ""),
                Arguments.of("list, JSON", Format.JSON, List.of("drive", "size"), List.of(A, object("drive", D2, "size", "5")),
                        List.of("[{\"drive\":\"" + D1 + "\",\"size\":1024}",
                                "[{\"drive\":\"" + D1 + "\",\"size\":1024},{\"drive\":\"" + D2 + "\",\"size\":5}"), "]"),
                Arguments.of("empty list, JSON", Format.JSON, List.of("drive"), List.of(), List.of(), "[]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void eachObjectIsOnTheStreamOnceAdded(String name, Format format, List<String> keys, List<Map<String, String>> objects,
                                          List<String> afterEach, String end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RenderStream stream = keys == null ? RenderStream.objects(format, out) : RenderStream.list(keys, format, out);
        List<String> seen = new ArrayList<>();
        for (Map<String, String> each : objects) {
            stream.accept(each);
            seen.add(out.toString(StandardCharsets.UTF_8));
        }
        stream.finish();

        assertThat(seen).containsExactlyElementsOf(afterEach);
        String whole = (afterEach.isEmpty() ? "" : afterEach.get(afterEach.size() - 1)) + end;
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(whole);
        Rendered rendered = keys == null ? Render.objects(objects, format) : Render.list(keys, objects, format);
        assertThat(rendered.text()).isEqualTo(whole);
        assertThat(stream.contentType()).isEqualTo(rendered.contentType());
        assertThat(stream.outputHeader()).isEqualTo(rendered.outputHeader());
    }

    @Test
    void aFailingStreamFailsWithItsOwnException() {
        IOException gone = new IOException("Connection reset by peer");
        RenderStream stream = RenderStream.objects(Format.TEXT, new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw gone;
            }
        });
        assertThatThrownBy(() -> stream.accept(A)).isInstanceOf(UncheckedIOException.class).hasCause(gone);
    }
}
