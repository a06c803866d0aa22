package io.elasticcloud.cli.args;

import io.elasticcloud.cli.CliException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small getopt: options may appear anywhere among the positional arguments; {@code --name
 * VALUE}, {@code --name=VALUE}, {@code -s VALUE}, {@code -sVALUE}, bundled short flags
 * ({@code -jq}); {@code --} ends the options (so a value such as {@code -1} can be given after
 * it); {@code -} alone is positional (standard input or output). An unknown option is an error,
 * never silently taken as a positional argument.
 */
public final class ArgParser {
    private ArgParser() {
    }

    public static ParsedArgs parse(List<String> args, List<Option> options) {
        List<String> positional = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> flags = new LinkedHashSet<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (optionsEnded || a.equals("-") || !a.startsWith("-")) {
                positional.add(a);
            } else if (a.equals("--")) {
                optionsEnded = true;
            } else if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
                Option o = byLong(options, name);
                if (o.isFlag()) {
                    if (eq >= 0) {
                        throw CliException.commandLine("--%s takes no value", name);
                    }
                    flags.add(o.longName());
                } else if (eq >= 0) {
                    values.put(o.longName(), a.substring(eq + 1));
                } else {
                    values.put(o.longName(), valueAfter(args, i++, "--" + name));
                }
            } else {
                for (int j = 1; j < a.length(); j++) {
                    Option o = byShort(options, a.charAt(j));
                    if (o.isFlag()) {
                        flags.add(o.longName());
                    } else {
                        if (j + 1 < a.length()) {
                            values.put(o.longName(), a.substring(j + 1));
                        } else {
                            values.put(o.longName(), valueAfter(args, i++, "-" + a.charAt(j)));
                        }
                        break;
                    }
                }
            }
        }
        return new ParsedArgs(positional, values, flags);
    }

    private static String valueAfter(List<String> args, int i, String option) {
        if (i + 1 >= args.size()) {
            throw CliException.commandLine("%s needs a value", option);
        }
        return args.get(i + 1);
    }

    private static Option byLong(List<Option> options, String name) {
        for (Option o : options) {
            if (o.longName().equals(name)) {
                return o;
            }
        }
        throw CliException.commandLine("unknown option --%s (see --help)", name);
    }

    private static Option byShort(List<Option> options, char c) {
        for (Option o : options) {
            if (o.shortName() != null && o.shortName() == c) {
                return o;
            }
        }
        throw CliException.commandLine("unknown option -%s (see --help)", c);
    }
}
