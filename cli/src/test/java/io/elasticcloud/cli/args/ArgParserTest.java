package io.elasticcloud.cli.args;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.cli.CliException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgParserTest {
    private static final List<Option> OPTIONS = List.of(
            Option.flag("json", 'j', ""), Option.flag("quiet", 'q', ""),
            Option.value("size", 's', "SIZE", ""), Option.value("parallel", 'p', "N", ""));

    @Test
    void optionsAnywhereAmongPositionalArguments() {
        ParsedArgs a = ArgParser.parse(List.of("img", "--size", "10G", "-j", "drive", "--parallel=8"), OPTIONS);
        assertThat(a.positional()).containsExactly("img", "drive");
        assertThat(a.value("size")).contains("10G");
        assertThat(a.intValue("parallel", 4, 1, 64)).isEqualTo(8);
        assertThat(a.flag("json")).isTrue();
        assertThat(a.flag("quiet")).isFalse();
    }

    @Test
    void shortFormsBundledAndAttached() {
        ParsedArgs a = ArgParser.parse(List.of("-jq", "-s1M", "-p", "2"), OPTIONS);
        assertThat(a.flags()).containsExactlyInAnyOrder("json", "quiet");
        assertThat(a.value("size")).contains("1M");
        assertThat(a.value("parallel")).contains("2");
    }

    @Test
    void doubleDashEndsOptionsAndDashAloneIsPositional() {
        ParsedArgs a = ArgParser.parse(List.of("-", "--", "user:x", "-1", "--json"), OPTIONS);
        assertThat(a.positional()).containsExactly("-", "user:x", "-1", "--json");
        assertThat(a.flags()).isEmpty();
    }

    @Test
    void mistakesAreCommandLineErrors() {
        assertThatThrownBy(() -> ArgParser.parse(List.of("--nope"), OPTIONS))
                .isInstanceOf(CliException.class).hasMessageContaining("unknown option --nope");
        assertThatThrownBy(() -> ArgParser.parse(List.of("-x"), OPTIONS)).hasMessageContaining("unknown option -x");
        assertThatThrownBy(() -> ArgParser.parse(List.of("--size"), OPTIONS)).hasMessageContaining("--size needs a value");
        assertThatThrownBy(() -> ArgParser.parse(List.of("--json=yes"), OPTIONS)).hasMessageContaining("takes no value");
        ParsedArgs a = ArgParser.parse(List.of("-p", "0"), OPTIONS);
        assertThatThrownBy(() -> a.intValue("parallel", 4, 1, 64)).hasMessageContaining("between 1 and 64");
        assertThat(((CliException) org.assertj.core.api.Assertions.catchThrowable(
                () -> ArgParser.parse(List.of("--nope"), OPTIONS))).exitCode().status()).isEqualTo(2);
    }
}
