package io.elasticcloud.cli.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyValuesTest {

    @Test
    void argumentsArePairsInOrderAndValuesMayHaveSpaces() {
        assertThat(KeyValues.fromArguments(List.of("name", "my data", "size", "10G", "user:x", "")))
                .containsExactly(entry("name", "my data"), entry("size", "10G"), entry("user:x", ""));
    }

    @Test
    void oddCountsDuplicatesAndLineBreaksAreRefused() {
        assertThatThrownBy(() -> KeyValues.fromArguments(List.of("name", "a", "size")))
                .hasMessageContaining("size has no value");
        assertThatThrownBy(() -> KeyValues.fromArguments(List.of("name", "a", "name", "b")))
                .hasMessageContaining("name is given twice");
        assertThatThrownBy(() -> KeyValues.fromArguments(List.of("name", "a\nsize 1")))
                .hasMessageContaining("line break");
        assertThatThrownBy(() -> KeyValues.fromArguments(List.of("na me", "a"))).hasMessageContaining("is not a key");
    }

    @Test
    void textSplitsAtTheFirstSpaceAndAcceptsCrLfAndBlankLines() {
        assertThat(KeyValues.parseText("name a b  c\r\n\r\nsize 1G\ntags\n"))
                .containsExactly(entry("name", "a b  c"), entry("size", "1G"), entry("tags", ""));
        assertThat(KeyValues.formatText(KeyValues.parseText("a 1\nb 2 3\n"))).isEqualTo("a 1\nb 2 3\n");
    }

    @Test
    void theBodyComesFromArgumentsElseFromStandardInput() {
        Body args = KeyValues.body(List.of("name", "x"), null);
        assertThat(args.contentType()).isEqualTo("text/plain");
        assertThat(new String(args.bytes(), StandardCharsets.UTF_8)).isEqualTo("name x\n");

        Body text = KeyValues.body(List.of(), "name y\r\nsize 1M");
        assertThat(new String(text.bytes(), StandardCharsets.UTF_8)).isEqualTo("name y\nsize 1M\n");

        Body json = KeyValues.body(List.of(), "  {\"name\": \"z\", \"cpu\": 2000}\n");
        assertThat(json.contentType()).isEqualTo("application/json");
        assertThat(new String(json.bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"name\": \"z\", \"cpu\": 2000}");
    }
}
