package io.elasticcloud.cli;

import io.elasticcloud.cli.api.ApiClient;
import io.elasticcloud.cli.api.Endpoint;
import io.elasticcloud.cli.args.ArgParser;
import io.elasticcloud.cli.args.Option;
import io.elasticcloud.cli.args.ParsedArgs;
import io.elasticcloud.cli.command.Command;
import io.elasticcloud.cli.command.Commands;
import io.elasticcloud.cli.command.ConfigureCommand;
import io.elasticcloud.cli.command.Help;
import io.elasticcloud.cli.command.Invocation;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code elastic [OPTIONS] GROUP COMMAND [ARGUMENTS]}: finds the command, parses its arguments,
 * runs it, and turns every failure into one line {@code elastic: TYPE: description} on standard
 * error and the exit status of {@link ExitCode}.
 */
public final class Main {
    static final Option JSON = Option.flag("json", 'j', "JSON instead of the API's text form (Accept: application/json)");
    static final Option QUIET = Option.flag("quiet", 'q', "no progress output");
    static final Option URI = Option.value("uri", null, "URL", "the API endpoint (instead of EHURI)");
    static final Option TIMEOUT = Option.value("timeout", null, "SECONDS", "longest wait for one reply (default 120)");
    static final Option HELP = Option.flag("help", 'h', "this help");
    static final Option VERSION = Option.flag("version", 'V', "the tool's version");
    public static final List<Option> GLOBAL = List.of(JSON, QUIET, URI, TIMEOUT, HELP, VERSION);

    private Main() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false);
        int status = run(List.of(args), System.in, out, System.err, System.getenv(), Terminal.detect(System.getenv()));
        out.flush();
        System.err.flush();
        System.exit(status);
    }

    /** Runs one command line; returns the exit status. Nothing here calls {@code System.exit}. */
    public static int run(List<String> args, InputStream in, PrintStream out, PrintStream err,
                          Map<String, String> env, Terminal terminal) {
        try {
            return dispatch(args, in, out, err, env, terminal);
        } catch (CliException e) {
            out.flush();
            err.println(e.line());
            return e.exitCode().status();
        } catch (OutOfMemoryError e) {
            err.println("elastic: error: out of memory (set ELASTIC_JAVA_OPTS=-Xmx...)");
            return ExitCode.LOCAL.status();
        } catch (RuntimeException e) {
            err.println("elastic: error: " + e);
            return ExitCode.LOCAL.status();
        }
    }

    private static int dispatch(List<String> args, InputStream in, PrintStream out, PrintStream err,
                                Map<String, String> env, Terminal terminal) {
        List<String> words = leadingWords(args, 2);
        String group = words.size() > 0 ? words.get(0) : null;
        String name = words.size() > 1 ? words.get(1) : null;
        if ("help".equals(group)) {
            // `elastic help drives upload` is `elastic drives upload --help`
            List<String> rest = new ArrayList<>(args);
            rest.remove("help");
            rest.add("--help");
            return dispatch(rest, in, out, err, env, terminal);
        }
        if (group == null) {
            ParsedArgs a = ArgParser.parse(args, GLOBAL);
            if (a.flag("version")) {
                out.println("elastic " + version());
                return 0;
            }
            out.print(Help.tool(GLOBAL));
            return a.flag("help") ? 0 : ExitCode.COMMAND_LINE.status();
        }
        if (group.equals(ConfigureCommand.NAME)) {
            return runCommand(new ConfigureCommand(), without(args, group, null), in, out, err, env, terminal);
        }
        if (!Commands.GROUPS.contains(group)) {
            throw CliException.commandLine("no group %s: use drives, servers or resources (elastic --help)", group);
        }
        if (name == null) {
            ParsedArgs a = ArgParser.parse(without(args, group, null), GLOBAL);
            out.print(Help.group(group, GLOBAL));
            return a.flag("help") ? 0 : ExitCode.COMMAND_LINE.status();
        }
        Command command = Commands.find(group, name).orElseThrow(() -> CliException.commandLine(
                "no command %s %s (elastic %s --help lists them)", group, name, group));
        return runCommand(command, without(args, group, name), in, out, err, env, terminal);
    }

    private static int runCommand(Command command, List<String> args, InputStream in, PrintStream out,
                                  PrintStream err, Map<String, String> env, Terminal terminal) {
        List<Option> options = new ArrayList<>(command.options());
        options.addAll(GLOBAL);
        ParsedArgs a = ArgParser.parse(args, options);
        if (a.flag("help")) {
            out.print(Help.command(command, GLOBAL));
            return 0;
        }
        Optional<String> uri = a.value("uri");
        Duration timeout = Duration.ofSeconds(a.intValue("timeout", 120, 1, 86400));
        Supplier<ApiClient> api = memoize(() -> new ApiClient(Endpoint.resolve(env, uri, err), timeout));
        command.run(new Invocation(a, in, out, err, terminal, env, a.flag("json"), a.flag("quiet"), api));
        out.flush();
        return 0;
    }

    /** The first {@code n} words that are not options nor values of the global options. */
    static List<String> leadingWords(List<String> args, int n) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.size() && words.size() < n; i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                break;
            }
            if (a.startsWith("-") && !a.equals("-")) {
                if ((a.equals("--uri") || a.equals("--timeout")) && i + 1 < args.size()) {
                    i++;
                }
                continue;
            }
            words.add(a);
        }
        return words;
    }

    private static List<String> without(List<String> args, String group, String name) {
        List<String> rest = new ArrayList<>(args);
        rest.remove(group);
        if (name != null) {
            rest.remove(name);
        }
        return rest;
    }

    private static <T> Supplier<T> memoize(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = s.get();
                }
                return value;
            }
        };
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
