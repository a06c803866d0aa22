package io.elasticcloud.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract packages (this one, {@code agent}, {@code storage}, {@code secret}) import nothing
 * of the implementation ({@code bus}, {@code datapath}, {@code node}) nor a framework, so that
 * splitting the module stays a move of packages (see {@code package-info}).
 */
class ProtocolLayersTest {
    private static final Path SOURCES = Path.of("src/main/java/io/elasticcloud/protocol");
    private static final List<String> CONTRACT = List.of("", "agent", "storage", "secret");
    private static final List<String> FORBIDDEN = List.of("import io.elasticcloud.protocol.bus",
            "import io.elasticcloud.protocol.datapath", "import io.elasticcloud.protocol.node",
            "import org.springframework", "import com.fasterxml", "import com.rabbitmq");

    @Test
    void theContractImportsNoImplementation() throws IOException {
        List<String> found = new ArrayList<>();
        int files = 0;
        for (String pkg : CONTRACT) {
            try (Stream<Path> sources = Files.list(SOURCES.resolve(pkg))) {
                for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    for (String line : Files.readAllLines(source)) {
                        String imported = line.replace("import static ", "import ");
                        if (FORBIDDEN.stream().anyMatch(imported::startsWith)) {
                            found.add(SOURCES.relativize(source) + ": " + line);
                        }
                    }
                }
            }
        }
        assertThat(files).as("contract sources read").isGreaterThan(20);
        assertThat(found).isEmpty();
    }
}
