package io.elasticcloud.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.codec.KeyValueText.Line;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyValueTextTest {

    @Test
    void splitsAtTheFirstSpaceAndKeepsTheValueExactly() {
        assertThat(KeyValueText.lines("name a b  c \r\n\r\nsize 1G\ntags\nuser:x \n  \n"))
                .containsExactly(new Line(1, "name", "a b  c "), new Line(3, "size", "1G"), new Line(4, "tags", ""),
                        new Line(5, "user:x", ""));
    }

    @Test
    void aLineStartingWithASpaceHasTheEmptyKey() {
        assertThat(KeyValueText.lines("a 1\n b 2\n")).containsExactly(new Line(1, "a", "1"), new Line(2, "", "b 2"));
    }

    @Test
    void nothingButBlankLinesIsNoLine() {
        assertThat(KeyValueText.lines("")).isEmpty();
        assertThat(KeyValueText.lines("\r\n \n\t\n")).isEmpty();
    }

    @Test
    void writesOneLinePerEntryInOrder() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("b", "2 3");
        map.put("a", "");
        assertThat(KeyValueText.format(map)).isEqualTo("b 2 3\na \n");
        assertThat(KeyValueText.format(Map.of())).isEmpty();
    }
}
