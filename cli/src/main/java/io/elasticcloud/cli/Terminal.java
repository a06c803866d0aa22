package io.elasticcloud.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether standard input and standard error are terminals, and how wide. The launcher script
 * knows for sure ({@code [ -t 2 ]}) and passes it as {@code -Delastic.tty.stderr=true}; run with
 * {@code java -jar}, the tool looks at {@code /proc/self/fd/N}. Width: {@code COLUMNS}, else what
 * the launcher measured ({@code -Delastic.columns}), else 80.
 */
public record Terminal(boolean stdinIsTerminal, boolean stderrIsTerminal, int columns) {

    public static Terminal detect(Map<String, String> env) {
        return new Terminal(isTerminal("stdin", 0), isTerminal("stderr", 2), columns(env));
    }

    static boolean isTerminal(String name, int fd) {
        String told = System.getProperty("elastic.tty." + name);
        if (told != null && !told.isBlank()) {
            return Boolean.parseBoolean(told.strip());
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (Exception e) {
            return System.console() != null;
        }
    }

    static int columns(Map<String, String> env) {
        for (String v : new String[] {env.get("COLUMNS"), System.getProperty("elastic.columns")}) {
            if (v != null) {
                try {
                    int n = Integer.parseInt(v.strip());
                    if (n >= 20 && n <= 1000) {
                        return n;
                    }
                } catch (NumberFormatException ignored) {
                    // try the next
                }
            }
        }
        return 80;
    }
}
