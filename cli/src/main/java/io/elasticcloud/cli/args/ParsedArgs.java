package io.elasticcloud.cli.args;

import io.elasticcloud.cli.CliException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A command line after parsing: positional arguments in order, option values, flags given. */
public record ParsedArgs(List<String> positional, Map<String, String> values, Set<String> flags) {

    public ParsedArgs {
        positional = List.copyOf(positional);
        values = Map.copyOf(values);
        flags = Set.copyOf(flags);
    }

    public boolean flag(String longName) {
        return flags.contains(longName);
    }

    public Optional<String> value(String longName) {
        return Optional.ofNullable(values.get(longName));
    }

    public int intValue(String longName, int fallback, int min, int max) {
        String v = values.get(longName);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                throw CliException.commandLine("--%s must be between %d and %d, not %s", longName, min, max, v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw CliException.commandLine("--%s takes a whole number, not %s", longName, v);
        }
    }
}
