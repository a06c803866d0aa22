package io.elasticcloud.cli.command;

import io.elasticcloud.cli.ExitCode;
import io.elasticcloud.cli.args.Option;
import java.util.List;

/** The text of {@code --help}: for the tool, for a group, for one command. */
public final class Help {
    private Help() {
    }

    public static String tool(List<Option> global) {
        StringBuilder b = new StringBuilder();
        b.append("usage: elastic [OPTIONS] GROUP COMMAND [ARGUMENTS]\n\n")
                .append("The command-line tool of the ElasticHosts-style API: every call, and drive upload/download.\n\n");
        for (String g : Commands.GROUPS) {
            b.append(g).append(":\n");
            for (Command c : Commands.group(g)) {
                b.append(String.format("  elastic %s %-9s %-30s %s%n", g, c.name(), c.synopsis(), c.summary()));
            }
            b.append('\n');
        }
        ConfigureCommand configure = new ConfigureCommand();
        b.append(String.format("elastic configure %-34s %s%n%n", "[--uri URL]", configure.summary()));
        b.append("Options (anywhere on the line):\n").append(options(global)).append('\n')
                .append("Endpoint and credentials: EHURI (e.g. http://127.0.0.1:8080/) and EHAUTH=UUID:KEY, else\n")
                .append("the lines `uri URL` and `auth UUID:KEY` in ~/.config/elastic/config (chmod 600;\n")
                .append("$ELASTIC_CONFIG names another file; elastic configure writes it). The key is never\n")
                .append("printed.\n\n")
                .append("Exit status:\n").append(exitCodes())
                .append("\n`elastic GROUP COMMAND --help` describes one command.\n");
        return b.toString();
    }

    public static String group(String group, List<Option> global) {
        StringBuilder b = new StringBuilder("usage: elastic " + group + " COMMAND [ARGUMENTS]\n\n");
        for (Command c : Commands.group(group)) {
            b.append(String.format("  %-9s %-30s %s%n", c.name(), c.synopsis(), c.summary()));
        }
        b.append("\nOptions:\n").append(options(global));
        return b.toString();
    }

    public static String command(Command c, List<Option> global) {
        StringBuilder b = new StringBuilder("usage: elastic " + c.group() + (c.name().isEmpty() ? "" : " " + c.name())
                + (c.synopsis().isEmpty() ? "" : " " + c.synopsis()) + " [OPTIONS]\n\n")
                .append(c.summary()).append(".\n");
        if (c instanceof ApiCall call) {
            b.append("Sends ").append(call.requestLine()).append(".\n");
        }
        if (!c.details().isEmpty()) {
            b.append('\n').append(c.details()).append('\n');
        }
        if (!c.options().isEmpty()) {
            b.append("\nOptions:\n").append(options(c.options()));
        }
        b.append("\nGlobal options:\n").append(options(global));
        return b.toString();
    }

    static String options(List<Option> options) {
        StringBuilder b = new StringBuilder();
        for (Option o : options) {
            b.append(String.format("  %-26s %s%n", o.label(), o.help()));
        }
        return b.toString();
    }

    static String exitCodes() {
        StringBuilder b = new StringBuilder();
        for (ExitCode e : ExitCode.values()) {
            b.append(String.format("  %3d  %-8s %s%n", e.status(), e.errorType() == null ? "" : e.errorType(),
                    e.meaning()));
        }
        return b.toString();
    }
}
