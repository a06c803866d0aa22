package io.elasticcloud.cli.command;

import io.elasticcloud.cli.CliException;
import io.elasticcloud.cli.api.ApiClient;
import io.elasticcloud.cli.api.Body;
import io.elasticcloud.cli.api.KeyValues;
import io.elasticcloud.cli.args.Option;
import io.elasticcloud.cli.args.ParsedArgs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

/**
 * One API call as a subcommand: the generic dispatcher behind every command but upload and
 * download. A call is described by its positional arguments ({@code required} of them, then up to
 * {@code optional} more, or else {@code key value} pairs when it takes an object), the path they
 * make, and what travels each way.
 */
public record ApiCall(String group, String name, String synopsis, String summary, String details,
                      String method, int required, int optional, In in, Out out, List<Option> options,
                      BiFunction<List<String>, ParsedArgs, String> path) implements Command {

    /** What the request carries. */
    public enum In {
        /** nothing */
        NONE,
        /** an object: {@code key value} pairs from the arguments, else standard input */
        OBJECT,
        /** drive bytes from standard input or {@code --file} */
        DATA
    }

    /** What the reply carries. */
    public enum Out {
        /** an object or list in the API's text form, or JSON with {@code -j}; nothing for 204 */
        TEXT,
        /** drive bytes, to standard output or {@code --output} */
        DATA
    }

    @Override
    public void run(Invocation inv) {
        List<String> pos = inv.args().positional();
        if (pos.size() < required || in != In.OBJECT && pos.size() > required + optional) {
            throw CliException.commandLine("usage: elastic %s %s %s", group, name, synopsis);
        }
        List<String> fixed = pos.subList(0, Math.min(pos.size(), in == In.OBJECT ? required : required + optional));
        String p = path.apply(fixed, inv.args());
        Body body = switch (in) {
            case NONE -> Body.EMPTY;
            case OBJECT -> KeyValues.body(pos.subList(fixed.size(), pos.size()),
                    pos.size() > fixed.size() ? null : inv.readStdinText());
            case DATA -> Body.octets(readData(inv), inv.args().flag("gzip"));
        };
        ApiClient.Reply reply = inv.api().call(method, p, body,
                out == Out.DATA ? "application/octet-stream" : inv.accept());
        if (out == Out.DATA) {
            writeData(inv, reply.body());
        } else if (reply.body().length > 0) {
            String text = reply.text();
            inv.out().print(text.endsWith("\n") ? text : text + "\n");
            inv.out().flush();
        }
    }

    private static byte[] readData(Invocation inv) {
        String file = inv.args().value("file").orElse("-");
        try (InputStream in = file.equals("-") ? inv.in() : Files.newInputStream(Path.of(file))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw CliException.local("cannot read %s: %s", file.equals("-") ? "standard input" : file, e.getMessage());
        }
    }

    private static void writeData(Invocation inv, byte[] data) {
        String file = inv.args().value("output").orElse("-");
        try {
            if (file.equals("-")) {
                inv.out().write(data);
                inv.out().flush();
            } else {
                try (OutputStream o = Files.newOutputStream(Path.of(file))) {
                    o.write(data);
                }
            }
        } catch (IOException e) {
            throw CliException.local("cannot write %s: %s", file, e.getMessage());
        }
    }

    /** For help: the call's request, e.g. {@code POST /drives/DRIVE/set}. */
    public String requestLine() {
        return method + " " + path.apply(placeholders(), new ParsedArgs(List.of(), java.util.Map.of(), java.util.Set.of()));
    }

    private List<String> placeholders() {
        return java.util.Arrays.stream(synopsis.replace("[", "").replace("]", "").split(" "))
                .filter(w -> !w.isEmpty() && !w.startsWith("KEY") && !w.startsWith("VALUE") && !w.startsWith("-"))
                .limit(required)
                .toList();
    }
}
