package io.elasticcloud.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final long MIB = 1024 * 1024;
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theBarFillsTheWidthAndShowsPercentSizesRateAndTimeLeft() {
        Snapshot s = new Snapshot("upload", 1024 * MIB, 430 * MIB, 0, 5 * SECOND);
        String bar = ProgressFormat.bar(s, 100);
        assertThat(bar).hasSize(99)
                .startsWith("upload  41% [##########")
                .contains("#>  ", "] 430.0 MiB/1.0 GiB  86.0 MiB/s  0:07 left");
        assertThat(bar.chars().filter(c -> c == '#').count() + 1 + bar.chars().filter(c -> c == ' ').count())
                .isPositive();
        assertThat(ProgressFormat.bar(new Snapshot("upload", 100, 100, 0, SECOND), 60)).contains("100% [####")
                .contains("] 100 B/100 B").hasSize(59).doesNotContain(">");
        assertThat(ProgressFormat.bar(new Snapshot("upload", 100, 0, 0, 0), 60)).contains("  0% [>    ", "--:-- left");
    }

    @Test
    void narrowTerminalsAndUnknownTotalsStillFit() {
        Snapshot s = new Snapshot("download", 1024 * MIB, 512 * MIB, 0, 4 * SECOND);
        assertThat(ProgressFormat.bar(s, 40)).hasSizeLessThanOrEqualTo(39).doesNotContain("[");
        assertThat(ProgressFormat.bar(new Snapshot("upload", -1, 10 * MIB, 0, SECOND), 80))
                .isEqualTo("upload 10.0 MiB  10.0 MiB/s");
        assertThat(ProgressFormat.bar(new Snapshot("upload", 3600L * 1024 * MIB, 0, 0, SECOND),
                80)).contains("--:-- left");
        assertThat(ProgressFormat.left(new Snapshot("u", 7200 * MIB, 3600 * MIB, 0, 3600 * SECOND)))
                .isEqualTo("1:00:00 left");
    }

    @Test
    void linesAreTextOnly() {
        Snapshot s = new Snapshot("upload", 1024 * MIB, 512 * MIB, 256 * MIB, 2 * SECOND);
        assertThat(ProgressFormat.line(s)).isEqualTo("upload: 50% 512.0 MiB of 1.0 GiB, 128.0 MiB/s, 4 s left");
        assertThat(ProgressFormat.line(new Snapshot("upload", -1, MIB, 0, SECOND))).isEqualTo("upload: 1.0 MiB, 1.0 MiB/s");
        assertThat(ProgressFormat.summary(s)).isEqualTo("upload: 512.0 MiB in 2.0 s, 128.0 MiB/s");
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlace() throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Progress p = new Progress("upload", 10 * MIB, new PrintStream(out, true, StandardCharsets.UTF_8), true, false, 80);
        p.add(5 * MIB);
        Thread.sleep(450);
        p.note("chunk 1 failed; try 2 of 5");
        p.add(5 * MIB);
        p.finish(true);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("\rupload  50% [", "\033[K", "\r\033[Kelastic: chunk 1 failed; try 2 of 5\n",
                "\rupload 100% [").endsWith("upload: 10.0 MiB in " + text.split("upload: 10.0 MiB in ")[1]);
        assertThat(text.split("\n")).hasSize(3); // the note, the finished bar, the summary
    }

    @Test
    void elsewhereProgressIsPlainLines() throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Progress p = new Progress("download", 10 * MIB, new PrintStream(out, true, StandardCharsets.UTF_8), false, false,
                80);
        p.add(3 * MIB);
        Thread.sleep(2300);
        p.add(7 * MIB);
        p.finish(true);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\r", "\033", "[#");
        String[] lines = text.split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("download: 30% 3.0 MiB of 10.0 MiB, ");
        assertThat(lines[1]).startsWith("download: 100% 10.0 MiB of 10.0 MiB, ");
        assertThat(lines[2]).startsWith("download: 10.0 MiB in ");
    }

    @Test
    void quietSaysNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Progress p = new Progress("upload", 10, new PrintStream(out, true, StandardCharsets.UTF_8), true, true, 80);
        p.add(10);
        p.note("x");
        p.finish(true);
        assertThat(out.size()).isZero();
    }
}
