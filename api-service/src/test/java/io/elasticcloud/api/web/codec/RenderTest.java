package io.elasticcloud.api.web.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RenderTest {

    private static final String D1 = "0f962616-4e7e-4c3e-a9ed-9d2a8c6d6b4b";
    private static final String D2 = "7ab4b1d1-6f3c-4b1a-9a0e-2a3b4c5d6e7f";
    private static final String S1 = "c8f2b2b0-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
    private static final String U = "eeeeeeee-1111-2222-3333-444444444444";

    /** An ordered map from alternating keys and values. */
    private static Map<String, String> object(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static final Map<String, String> DRIVE_1 = object("name", "Ubuntu", "drive", D1, "size", "1073741824",
            "status", "active", "claimed", "", "imaging", "", "read:bytes", "4096", "read:requests", "1",
            "tags", "", "user", U);
    private static final Map<String, String> DRIVE_2 = object("name", "Данные 名前", "drive", D2, "size", "171798691840",
            "status", "active", "claim:type", "shared", "tags", "db backup", "user", U);
    private static final Map<String, String> SERVER = object("name", "web", "server", S1, "cpu", "2000", "smp", "auto",
            "mem", "1024", "boot", "ide:0:0 ide:0:1", "ide:0:0", D1, "ide:0:1", D2, "persistent", "true",
            "status", "active", "started", "1300000000", "nic:0:rx", "100", "nic:0:tx:packets", "3",
            "vnc:password", "1234", "user:note", "line1\nline2", "user", U);

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("one drive, text",
                        Render.object(DRIVE_1, Format.TEXT), Format.TEXT, Output.PROPERTIES,
                        "name Ubuntu\ndrive " + D1 + "\nsize 1073741824\nstatus active\nread:bytes 4096\nread:requests 1\nuser " + U + "\n"),
                Arguments.of("one drive, JSON",
                        Render.object(DRIVE_1, Format.JSON), Format.JSON, Output.PROPERTIES,
                        "{\"name\":\"Ubuntu\",\"drive\":\"" + D1 + "\",\"size\":1073741824,\"status\":\"active\",\"read:bytes\":4096,\"read:requests\":1,\"user\":\"" + U + "\"}"),
                Arguments.of("one server, text (line break in a value written as \\n)",
                        Render.object(SERVER, Format.TEXT), Format.TEXT, Output.PROPERTIES,
                        "name web\nserver " + S1 + "\ncpu 2000\nsmp auto\nmem 1024\nboot ide:0:0 ide:0:1\nide:0:0 " + D1 + "\nide:0:1 " + D2
                                + "\npersistent true\nstatus active\nstarted 1300000000\nnic:0:rx 100\nnic:0:tx:packets 3\nvnc:password 1234\nuser:note line1\\nline2\nuser " + U + "\n"),
                Arguments.of("one server, JSON (Libcloud: numbers, boot list)",
                        Render.object(SERVER, Format.JSON), Format.JSON, Output.PROPERTIES,
                        "{\"name\":\"web\",\"server\":\"" + S1 + "\",\"cpu\":2000,\"smp\":\"auto\",\"mem\":1024,\"boot\":[\"ide:0:0\",\"ide:0:1\"],\"ide:0:0\":\"" + D1
                                + "\",\"ide:0:1\":\"" + D2 + "\",\"persistent\":\"true\",\"status\":\"active\",\"started\":1300000000,\"nic:0:rx\":100,\"nic:0:tx:packets\":3,"
                                + "\"vnc:password\":\"1234\",\"user:note\":\"line1\\nline2\",\"user\":\"" + U + "\"}"),
                Arguments.of("empty object, text", Render.object(Map.of(), Format.TEXT), Format.TEXT, Output.PROPERTIES, ""),
                Arguments.of("empty object, JSON", Render.object(Map.of(), Format.JSON), Format.JSON, Output.PROPERTIES, "{}"),
                Arguments.of("all values empty, text", Render.object(object("tags", ""), Format.TEXT), Format.TEXT, Output.PROPERTIES, ""),
                Arguments.of("all values empty, JSON", Render.object(object("tags", ""), Format.JSON), Format.JSON, Output.PROPERTIES, "{}"),
                Arguments.of("null value omitted", Render.object(object("name", "x", "tags", null), Format.TEXT), Format.TEXT, Output.PROPERTIES, "name x\n"),
                Arguments.of("several drives, text: one blank line between, none after",
                        Render.objects(List.of(DRIVE_1, DRIVE_2), Format.TEXT), Format.TEXT, Output.PROPERTIES,
                        "name Ubuntu\ndrive " + D1 + "\nsize 1073741824\nstatus active\nread:bytes 4096\nread:requests 1\nuser " + U + "\n"
                                + "\n"
                                + "name Данные 名前\ndrive " + D2 + "\nsize 171798691840\nstatus active\nclaim:type shared\ntags db backup\nuser " + U + "\n"),
                Arguments.of("several drives, JSON",
                        Render.objects(List.of(DRIVE_1, DRIVE_2), Format.JSON), Format.JSON, Output.PROPERTIES,
                        "[{\"name\":\"Ubuntu\",\"drive\":\"" + D1 + "\",\"size\":1073741824,\"status\":\"active\",\"read:bytes\":4096,\"read:requests\":1,\"user\":\"" + U + "\"},"
                                + "{\"name\":\"Данные 名前\",\"drive\":\"" + D2 + "\",\"size\":171798691840,\"status\":\"active\",\"claim:type\":\"shared\",\"tags\":\"db backup\",\"user\":\"" + U + "\"}]"),
                Arguments.of("three objects, text",
                        Render.objects(List.of(object("a", "1"), object("b", "2"), object("c", "3")), Format.TEXT), Format.TEXT, Output.PROPERTIES,
                        "a 1\n\nb 2\n\nc 3\n"),
                Arguments.of("empty object among several: no empty block in text",
                        Render.objects(List.of(object("a", "1"), object("x", ""), object("c", "3")), Format.TEXT), Format.TEXT, Output.PROPERTIES,
                        "a 1\n\nc 3\n"),
                Arguments.of("empty object among several: kept in JSON",
                        Render.objects(List.of(object("a", "1"), object("x", ""), object("c", "3")), Format.JSON), Format.JSON, Output.PROPERTIES,
                        "[{\"a\":\"1\"},{},{\"c\":\"3\"}]"),
                Arguments.of("no objects, text", Render.objects(List.of(), Format.TEXT), Format.TEXT, Output.PROPERTIES, ""),
                Arguments.of("no objects, JSON", Render.objects(List.of(), Format.JSON), Format.JSON, Output.PROPERTIES, "[]"),
                Arguments.of("drive list, text",
                        Render.list(List.of("drive"), List.of(DRIVE_1, DRIVE_2), Format.TEXT), Format.TEXT, Output.LIST,
                        D1 + "\n" + D2 + "\n"),
                Arguments.of("drive list, JSON",
                        Render.list(List.of("drive"), List.of(DRIVE_1, DRIVE_2), Format.JSON), Format.JSON, Output.LIST,
                        "[{\"drive\":\"" + D1 + "\"},{\"drive\":\"" + D2 + "\"}]"),
                Arguments.of("server list in the given key order, text",
                        Render.list(List.of("server", "cpu", "mem"), List.of(SERVER), Format.TEXT), Format.TEXT, Output.LIST,
                        S1 + " 2000 1024\n"),
                Arguments.of("server list, JSON typed",
                        Render.list(List.of("server", "cpu", "mem"), List.of(SERVER), Format.JSON), Format.JSON, Output.LIST,
                        "[{\"server\":\"" + S1 + "\",\"cpu\":2000,\"mem\":1024}]"),
                Arguments.of("resource list, text",
                        Render.list(List.of("type", "resource"), List.of(object("resource", "192.168.0.1", "type", "ip"), object("type", "ip", "resource", "192.168.0.2")), Format.TEXT),
                        Format.TEXT, Output.LIST, "ip 192.168.0.1\nip 192.168.0.2\n"),
                Arguments.of("resource list, JSON",
                        Render.list(List.of("type", "resource"), List.of(object("resource", "192.168.0.1", "type", "ip"), object("type", "ip", "resource", "192.168.0.2")), Format.JSON),
                        Format.JSON, Output.LIST, "[{\"type\":\"ip\",\"resource\":\"192.168.0.1\"},{\"type\":\"ip\",\"resource\":\"192.168.0.2\"}]"),
                Arguments.of("empty list, text", Render.list(List.of("drive"), List.of(), Format.TEXT), Format.TEXT, Output.LIST, ""),
                Arguments.of("empty list, JSON", Render.list(List.of("drive"), List.of(), Format.JSON), Format.JSON, Output.LIST, "[]"),
                Arguments.of("CRLF and CR in a value, text", Render.object(object("user:x", "a\r\nb\rc"), Format.TEXT), Format.TEXT, Output.PROPERTIES, "user:x a\\nb\\nc\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void shapes(String name, Rendered rendered, Format format, Output output, String expectedBody) {
        assertEquals(expectedBody, rendered.text());
        assertEquals(format, rendered.format());
        assertEquals(output, rendered.output());
        assertEquals(format.mediaType(), rendered.contentType());
        assertEquals(output.header(), rendered.outputHeader());
    }

    /** The text of several objects, read back the way jclouds reads it, gives the objects back. */
    @Test
    void textReadsBackAsJcloudsSplitsIt() {
        String text = Render.objects(List.of(DRIVE_1, DRIVE_2), Format.TEXT).text();
        String[] blocks = text.split("\n\n", -1);
        assertEquals(2, blocks.length);
        Map<String, String> second = Properties.parse(blocks[1].getBytes(java.nio.charset.StandardCharsets.UTF_8), Format.TEXT);
        assertEquals(object("name", "Данные 名前", "drive", D2, "size", "171798691840", "status", "active",
                "claim:type", "shared", "tags", "db backup", "user", U), second);
    }

    static Stream<Arguments> serverBugs() {
        return Stream.of(
                Arguments.of("list item missing a column", (Runnable) () -> Render.list(List.of("server", "cpu"), List.of(object("server", S1)), Format.TEXT),
                        "list column cpu has no single-word value in {server=" + S1 + "}"),
                Arguments.of("list value with a space", (Runnable) () -> Render.list(List.of("name"), List.of(object("name", "a b")), Format.JSON),
                        "list column name has no single-word value in {name=a b}"),
                Arguments.of("key with a space", (Runnable) () -> Render.object(object("bad key", "x"), Format.TEXT), "not a key: \"bad key\""),
                Arguments.of("empty key", (Runnable) () -> Render.object(object("", "x"), Format.JSON), "not a key: \"\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void serverBugs(String name, Runnable render, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, render::run);
        assertEquals(message, e.getMessage());
    }

    @Test
    void renderedIsAValue() {
        assertEquals(Render.object(object("a", "1"), Format.JSON), Render.object(object("a", "1"), Format.JSON));
        assertEquals(Render.object(object("a", "1"), Format.JSON).hashCode(), Render.object(object("a", "1"), Format.JSON).hashCode());
        assertEquals("Rendered[JSON, PROPERTIES, 9 bytes]", Render.object(object("a", "1"), Format.JSON).toString());
    }

    @Test
    void renderedBodyIsACopy() {
        Rendered rendered = Render.object(object("a", "1"), Format.TEXT);
        rendered.body()[0] = 'X';
        assertEquals("a 1\n", rendered.text());
    }
}
