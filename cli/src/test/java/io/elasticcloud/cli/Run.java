package io.elasticcloud.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One run of the tool in this JVM ({@link Main#run}), with its output captured. */
public record Run(int status, byte[] stdout, String stderr) {

    public String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public static Run of(Map<String, String> env, byte[] stdin, String... args) {
        return of(env, stdin, new Terminal(false, false, 80), args);
    }

    public static Run of(Map<String, String> env, byte[] stdin, Terminal terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int status = Main.run(List.of(args), new ByteArrayInputStream(stdin == null ? new byte[0] : stdin), o, e, env,
                terminal);
        o.flush();
        return new Run(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }
}
