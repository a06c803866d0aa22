package io.elasticcloud.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one table of the size notation; the API and the tool test only how they word a refusal. */
class SizesTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "0,                   0",
        "1,                   1",
        "4194304,             4194304",
        "1073741824,          1073741824",
        "007,                 7",
        "1k,                  1024",
        "1K,                  1024",
        "4M,                  4194304",
        "4m,                  4194304",
        "160G,                171798691840",
        "160g,                171798691840",
        "2T,                  2199023255552",
        "2t,                  2199023255552",
        "0G,                  0",
        "9223372036854775807, 9223372036854775807",
        "8388607T,            9223370937343148032",
    })
    void bytesWithBinarySuffixesInEitherCase(String text, long bytes) {
        assertThat(Sizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource({"''", "-1", "+1", "-0", "1.5G", "4MB", "1GB", "10b", "10X", "M", "G", "1P", "' 1G'", "'1G '",
        "'1 G'", "'\t1G'", "0x10", "1e9", "١٢٣", "lots"})
    void anythingElseIsNotASize(String text) {
        assertThatThrownBy(() -> Sizes.parse(text)).as(text).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void nullIsNotASize() {
        assertThatThrownBy(() -> Sizes.parse(null)).isInstanceOf(NumberFormatException.class);
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource({"9223372036854775808", "8388608T", "99999999999T", "99999999999999999999G"})
    void aSizeBeyondALongIsTooLarge(String text) {
        assertThatThrownBy(() -> Sizes.parse(text)).as(text).isInstanceOf(ArithmeticException.class);
    }
}
