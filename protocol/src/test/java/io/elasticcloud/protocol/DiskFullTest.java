package io.elasticcloud.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which failures are a full disk ({@code 507 full}), whatever wraps them. */
class DiskFullTest {

    static Stream<Arguments> failures() {
        IOException enospc = new IOException("No space left on device");
        IOException first = new IOException("Input/output error");
        IOException loop = new IOException("Broken pipe", first);
        first.initCause(loop); // a cycle of causes: still answered
        return Stream.of(
                Arguments.of(Named.of("write(2) ENOSPC", enospc), true),
                Arguments.of(Named.of("file system ENOSPC", new FileSystemException("/d/x", null,
                        "No space left on device")), true),
                Arguments.of(Named.of("quota EDQUOT", new IOException("Disk quota exceeded")), true),
                Arguments.of(Named.of("wrapped", new UncheckedIOException(enospc)), true),
                Arguments.of(Named.of("twice wrapped", new IllegalStateException(new UncheckedIOException(enospc))), true),
                Arguments.of(Named.of("another I/O error", new IOException("Input/output error")), false),
                Arguments.of(Named.of("not I/O, same words", new IllegalStateException("No space left on device")), false),
                Arguments.of(Named.of("no message", new IOException()), false),
                Arguments.of(Named.of("a cycle of causes", loop), false));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void diskFull(Throwable failure, boolean full) {
        assertThat(ElasticException.diskFull(failure)).isEqualTo(full);
    }
}
