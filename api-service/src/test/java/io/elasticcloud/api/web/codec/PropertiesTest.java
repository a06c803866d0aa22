package io.elasticcloud.api.web.codec;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PropertiesTest {

    private static final String DRIVE = "0f962616-4e7e-4c3e-a9ed-9d2a8c6d6b4b";

    @SafeVarargs
    private static List<Map.Entry<String, String>> entries(Map.Entry<String, String>... entries) {
        return List.of(entries);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // Entries as a list: the comparison checks order as well as content.
    private static List<Map.Entry<String, String>> parsed(byte[] body, Format format) {
        return new ArrayList<>(Properties.parse(body, format).entrySet());
    }

    static Stream<Arguments> textBodies() {
        return Stream.of(
                Arguments.of("jclouds create drive", "name Ubuntu\nsize 1073741824\nclaim:type shared\nreaders ffffffff-ffff-ffff-ffff-ffffffffffff\ntags a b\nuser:note hi",
                        entries(entry("name", "Ubuntu"), entry("size", "1073741824"), entry("claim:type", "shared"),
                                entry("readers", "ffffffff-ffff-ffff-ffff-ffffffffffff"), entry("tags", "a b"), entry("user:note", "hi"))),
                Arguments.of("jclouds server, ends with newline", "name TestServer\ncpu 2000\nsmp auto\nmem 1024\npersistent true\nide:0:0 " + DRIVE + "\nboot ide:0:0\nnic:0:model e1000\nnic:0:dhcp auto\npassword secret\nvnc auto\n",
                        entries(entry("name", "TestServer"), entry("cpu", "2000"), entry("smp", "auto"), entry("mem", "1024"),
                                entry("persistent", "true"), entry("ide:0:0", DRIVE), entry("boot", "ide:0:0"), entry("nic:0:model", "e1000"),
                                entry("nic:0:dhcp", "auto"), entry("password", "secret"), entry("vnc", "auto"))),
                Arguments.of("order is the client's", "z 1\na 2\nm 3\n", entries(entry("z", "1"), entry("a", "2"), entry("m", "3"))),
                Arguments.of("CRLF line ends", "name x\r\nsize 1G\r\n", entries(entry("name", "x"), entry("size", "1G"))),
                Arguments.of("mixed line ends", "name x\r\nsize 1G\n", entries(entry("name", "x"), entry("size", "1G"))),
                Arguments.of("value keeps inner spaces", "name My  big   server", entries(entry("name", "My  big   server"))),
                Arguments.of("value keeps trailing spaces", "name x  \n", entries(entry("name", "x  "))),
                Arguments.of("value keeps leading spaces after the first", "name  x", entries(entry("name", " x"))),
                Arguments.of("value keeps tabs", "name a\tb", entries(entry("name", "a\tb"))),
                Arguments.of("key alone clears", "tags\nname x", entries(entry("tags", ""), entry("name", "x"))),
                Arguments.of("key and one space clears", "tags \nname x", entries(entry("tags", ""), entry("name", "x"))),
                Arguments.of("key alone, CRLF", "tags\r\n", entries(entry("tags", ""))),
                Arguments.of("blank lines ignored", "\n\nname x\n\n\r\n  \nsize 1\n\n", entries(entry("name", "x"), entry("size", "1"))),
                Arguments.of("unicode", "name Сервер 名前 ü\nuser:描述 café", entries(entry("name", "Сервер 名前 ü"), entry("user:描述", "café"))),
                Arguments.of("byte order mark dropped", "\uFEFFname x\n", entries(entry("name", "x"))),
                Arguments.of("literal backslash-n kept (jclouds' escape)", "user:motd a\\nb", entries(entry("user:motd", "a\\nb"))),
                Arguments.of("empty", "", entries()),
                Arguments.of("only blank lines", "\n\r\n\n", entries()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void textBodies(String name, String body, List<Map.Entry<String, String>> expected) {
        assertEquals(expected, parsed(utf8(body), Format.TEXT));
    }

    static Stream<Arguments> jsonBodies() {
        return Stream.of(
                Arguments.of("Libcloud create drive", "{\"name\": \"x\", \"size\": 1073741824, \"boot\": [\"ide:0:0\"], \"cpu\": 2000}",
                        entries(entry("name", "x"), entry("size", "1073741824"), entry("boot", "ide:0:0"), entry("cpu", "2000"))),
                Arguments.of("Libcloud create server", "{\"name\": \"n\", \"cpu\": 2000, \"mem\": 1700, \"ide:0:0\": \"" + DRIVE + "\", \"boot\": \"ide:0:0\", \"smp\": \"auto\", \"nic:0:model\": \"e1000\", \"nic:0:dhcp\": \"auto\", \"vnc\": \"auto\", \"vnc:password\": \"pw\"}",
                        entries(entry("name", "n"), entry("cpu", "2000"), entry("mem", "1700"), entry("ide:0:0", DRIVE), entry("boot", "ide:0:0"),
                                entry("smp", "auto"), entry("nic:0:model", "e1000"), entry("nic:0:dhcp", "auto"), entry("vnc", "auto"), entry("vnc:password", "pw"))),
                Arguments.of("Libcloud size as string", "{\"name\": \"n\", \"size\": \"160G\"}", entries(entry("name", "n"), entry("size", "160G"))),
                Arguments.of("order is the client's", "{\"z\":1,\"a\":2,\"m\":3}", entries(entry("z", "1"), entry("a", "2"), entry("m", "3"))),
                Arguments.of("list joined by single spaces", "{\"boot\":[\"ide:0:0\",\"ide:0:1\"],\"tags\":[\"a\",\"b\",\"c\"]}",
                        entries(entry("boot", "ide:0:0 ide:0:1"), entry("tags", "a b c"))),
                Arguments.of("empty list clears", "{\"tags\":[]}", entries(entry("tags", ""))),
                Arguments.of("null clears", "{\"tags\":null}", entries(entry("tags", ""))),
                Arguments.of("booleans", "{\"persistent\":true,\"vnc:tls\":false}", entries(entry("persistent", "true"), entry("vnc:tls", "false"))),
                Arguments.of("numbers", "{\"a\":0,\"b\":-3,\"c\":2048.0,\"d\":2.048e3,\"e\":1.5,\"f\":1.50,\"g\":1E2,\"h\":-0,\"i\":0.0,\"j\":123456789012345678901234567890}",
                        entries(entry("a", "0"), entry("b", "-3"), entry("c", "2048"), entry("d", "2048"), entry("e", "1.5"), entry("f", "1.5"),
                                entry("g", "100"), entry("h", "0"), entry("i", "0"), entry("j", "123456789012345678901234567890"))),
                Arguments.of("list of numbers and booleans", "{\"x\":[1,2.0,true]}", entries(entry("x", "1 2 true"))),
                Arguments.of("strings kept as is", "{\"name\":\"  two  spaces \",\"user:t\":\"a\\tb\"}", entries(entry("name", "  two  spaces "), entry("user:t", "a\tb"))),
                Arguments.of("empty string", "{\"name\":\"\"}", entries(entry("name", ""))),
                Arguments.of("unicode, raw and escaped", "{\"name\":\"名前 Сервер\",\"user:k\":\"caf\\u00e9\"}", entries(entry("name", "名前 Сервер"), entry("user:k", "café"))),
                Arguments.of("surrogate pairs are characters", "{\"name\":\"\\ud83d\\ude00 x\",\"tags\":\"\ud83d\ude00\"}",
                        entries(entry("name", "\ud83d\ude00 x"), entry("tags", "\ud83d\ude00"))),
                Arguments.of("numbers at the edge of the range", "{\"a\":1e100,\"b\":1e-100,\"c\":0e2147483647}",
                        entries(entry("a", "1" + "0".repeat(100)), entry("b", "0." + "0".repeat(99) + "1"), entry("c", "0"))),
                Arguments.of("whitespace around", " \r\n{ \"name\" : \"x\" }\r\n ", entries(entry("name", "x"))),
                Arguments.of("empty object", "{}", entries()),
                Arguments.of("empty body", "", entries()),
                Arguments.of("whitespace body", " \n", entries()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void jsonBodies(String name, String body, List<Map.Entry<String, String>> expected) {
        assertEquals(expected, parsed(utf8(body), Format.JSON));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                // text
                Arguments.of(Format.TEXT, utf8("name x\n size 1"), "Line 2 starts with a space: each line must be \"key value\""),
                Arguments.of(Format.TEXT, utf8(" name x"), "Line 1 starts with a space: each line must be \"key value\""),
                Arguments.of(Format.TEXT, utf8("name x\nname y"), "Key \"name\" appears more than once"),
                Arguments.of(Format.TEXT, utf8("tags\r\ntags a"), "Key \"tags\" appears more than once"),
                Arguments.of(Format.TEXT, utf8("na\u0001me x"), "Key \"na\\u0001me\" contains a space or a control character"),
                Arguments.of(Format.TEXT, utf8("\tname x"), "Key \"\\tname\" contains a space or a control character"),
                Arguments.of(Format.TEXT, utf8("name a\rb"), "The value of \"name\" contains a control character (such as a line break)"),
                Arguments.of(Format.TEXT, utf8("name x\r\r\n"), "The value of \"name\" contains a control character (such as a line break)"),
                Arguments.of(Format.TEXT, utf8("name a\u0000"), "The value of \"name\" contains a control character (such as a line break)"),
                Arguments.of(Format.TEXT, new byte[] {'n', 'a', 'm', 'e', ' ', (byte) 0xff}, "The request body is not valid UTF-8 text"),
                Arguments.of(Format.TEXT, new byte[] {'n', ' ', (byte) 0xc3}, "The request body is not valid UTF-8 text"),
                Arguments.of(Format.TEXT, new byte[] {'n', ' ', (byte) 0xed, (byte) 0xa0, (byte) 0x80}, "The request body is not valid UTF-8 text"),
                // JSON
                Arguments.of(Format.JSON, utf8("[{\"name\":\"x\"}]"), "The request body must be one JSON object of keys and values"),
                Arguments.of(Format.JSON, utf8("\"name\""), "The request body must be one JSON object of keys and values"),
                Arguments.of(Format.JSON, utf8("42"), "The request body must be one JSON object of keys and values"),
                Arguments.of(Format.JSON, utf8("null"), "The request body must be one JSON object of keys and values"),
                Arguments.of(Format.JSON, utf8("name x"), "The request body is not valid JSON (line 1, column 1)"),
                Arguments.of(Format.JSON, utf8("{\"name\": \"x\",\n \"size\": }"), "The request body is not valid JSON (line 2, column 10)"),
                Arguments.of(Format.JSON, utf8("{\"name\": \"x\""), "The request body is not valid JSON (line 1, column 13)"),
                Arguments.of(Format.JSON, utf8("{\"name\": \"x\"} x"), "The request body is not valid JSON (line 1, column 15)"),
                Arguments.of(Format.JSON, utf8("{\"name\": \"x\"} {}"), "The request body has more after its JSON object"),
                Arguments.of(Format.JSON, utf8("{\"name\": NaN}"), "The request body is not valid JSON (line 1, column 13)"),
                Arguments.of(Format.JSON, utf8("{\"name\":\"x\",\"name\":\"y\"}"), "Key \"name\" appears more than once"),
                Arguments.of(Format.JSON, utf8("{\"nic\":{\"model\":\"e1000\"}}"), "The value of \"nic\" must be a string, number, boolean or a list of those"),
                Arguments.of(Format.JSON, utf8("{\"boot\":[{\"dev\":\"ide:0:0\"}]}"), "The value of \"boot\" must be a string, number, boolean or a list of those"),
                Arguments.of(Format.JSON, utf8("{\"tags\":[[\"a\"]]}"), "The value of \"tags\" must be a string, number, boolean or a list of those"),
                Arguments.of(Format.JSON, utf8("{\"tags\":[\"a b\"]}"), "The list \"tags\" has an item that is empty or contains a space: \"a b\""),
                Arguments.of(Format.JSON, utf8("{\"tags\":[\"\"]}"), "The list \"tags\" has an item that is empty or contains a space: \"\""),
                Arguments.of(Format.JSON, utf8("{\"tags\":[\"a\",null]}"), "The list \"tags\" has an item that is empty or contains a space: \"\""),
                Arguments.of(Format.JSON, utf8("{\"\":\"x\"}"), "A key is empty"),
                Arguments.of(Format.JSON, utf8("{\"user:my key\":\"x\"}"), "Key \"user:my key\" contains a space or a control character"),
                Arguments.of(Format.JSON, utf8("{\"name\":\"a\\nb\"}"), "The value of \"name\" contains a control character (such as a line break)"),
                Arguments.of(Format.JSON, utf8("{\"size\":1e999}"), "The number given for \"size\" is out of range"),
                // exponents at and beyond an int: once a NumberFormatException (a 500)
                Arguments.of(Format.JSON, utf8("{\"size\":1e2147483648}"), "The number given for \"size\" is out of range"),
                Arguments.of(Format.JSON, utf8("{\"size\":1E+2147483647}"), "The number given for \"size\" is out of range"),
                Arguments.of(Format.JSON, utf8("{\"size\":10e2147483647}"), "The number given for \"size\" is out of range"),
                Arguments.of(Format.JSON, utf8("{\"size\":-1e-2147483648}"), "The number given for \"size\" is out of range"),
                Arguments.of(Format.JSON, utf8("{\"size\":1e-2147483649}"), "The number given for \"size\" is out of range"),
                Arguments.of(Format.JSON, utf8("{\"size\":1.5e99999999999999999999}"), "The number given for \"size\" is out of range"),
                Arguments.of(Format.JSON, utf8("{\"size\":[1e2147483648]}"), "The number given for \"size\" is out of range"),
                // what is not text: lone surrogates (JSON only) and noncharacters (both formats)
                Arguments.of(Format.JSON, utf8("{\"name\":\"a\\ud800\"}"), "The value of \"name\" contains U+D800, which is not a character"),
                Arguments.of(Format.JSON, utf8("{\"name\":\"\\udc00a\"}"), "The value of \"name\" contains U+DC00, which is not a character"),
                Arguments.of(Format.JSON, utf8("{\"name\":\"\\ud800\\ud800\"}"), "The value of \"name\" contains U+D800, which is not a character"),
                Arguments.of(Format.JSON, utf8("{\"user:\\ud800\":\"x\"}"), "A key contains U+D800, which is not a character"),
                Arguments.of(Format.JSON, utf8("{\"tags\":[\"a\",\"\\uffff\"]}"), "The value of \"tags\" contains U+FFFF, which is not a character"),
                Arguments.of(Format.JSON, utf8("{\"name\":\"a\\ufffe\"}"), "The value of \"name\" contains U+FFFE, which is not a character"),
                Arguments.of(Format.TEXT, utf8("name a\uFFFEb"), "The value of \"name\" contains U+FFFE, which is not a character"),
                Arguments.of(Format.TEXT, utf8("name \uFDD0"), "The value of \"name\" contains U+FDD0, which is not a character"),
                Arguments.of(Format.TEXT, utf8("name \uDBFF\uDFFF"), "The value of \"name\" contains U+10FFFF, which is not a character"),
                Arguments.of(Format.TEXT, utf8("user:\uFFFF x"), "A key contains U+FFFF, which is not a character"),
                Arguments.of(Format.JSON, new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}'}, "The request body is not valid UTF-8 text"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource
    void malformed(Format format, byte[] body, String message) {
        ElasticException e = assertThrows(ElasticException.class, () -> Properties.parse(body, format));
        assertEquals(ErrorType.USAGE, e.type());
        assertEquals(message, e.getMessage());
    }

    @Test
    void resultIsUnmodifiable() {
        Map<String, String> map = Properties.parse(utf8("name x"), Format.TEXT);
        assertThrows(UnsupportedOperationException.class, () -> map.put("name", "y"));
    }

    @Test
    void nullBodyIsEmpty() {
        assertEquals(Map.of(), Properties.parse(null, Format.JSON));
    }
}
