package io.elasticcloud.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One of our systemd unit files, read as systemd reads the part of it that decides what runs: the
 * {@code [Service]} section's {@code Environment=} and {@code EnvironmentFile=} (files read last,
 * so they win), {@code ExecStart=}, {@code User=}/{@code Group=}, {@code
 * WorkingDirectory=}, and the exit statuses and stop timeout. With it a test runs a unit's command
 * by hand, where systemd is not PID 1. Our units use the plain forms only (no quoting, no
 * specifiers, {@code $NAME} alone as a word in ExecStart); anything else fails the read rather
 * than being misread.
 */
record SystemdUnit(Map<String, List<String>> service) {
    /** What systemd itself gives every service before the unit's own variables. */
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    static SystemdUnit read(Path file) {
        Map<String, List<String>> service = new LinkedHashMap<>();
        String section = "";
        for (String raw : lines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line;
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 1 || line.endsWith("\\")) {
                throw new AssertionError(file + ": not KEY=VALUE: " + line);
            }
            if (section.equals("[Service]")) {
                service.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                        .add(line.substring(eq + 1).strip());
            }
        }
        return new SystemdUnit(service);
    }

    /** The last value of {@code key} in {@code [Service]}; fails when there is none. */
    String value(String key) {
        List<String> values = service.getOrDefault(key, List.of());
        if (values.isEmpty()) {
            throw new AssertionError("the unit has no " + key + "=");
        }
        return values.get(values.size() - 1);
    }

    /**
     * ExecStart= as its words, each {@code $NAME} word replaced by the words of NAME's value in
     * {@code env} (none when unset), as systemd does.
     */
    List<String> execStart(Map<String, String> env) {
        String line = value("ExecStart");
        if (line.matches(".*[\"'%\\\\{].*") || line.startsWith("-") || line.startsWith("@") || line.startsWith("+")) {
            throw new AssertionError("ExecStart= beyond the plain form: " + line);
        }
        List<String> words = new ArrayList<>();
        for (String word : line.split("\\s+")) {
            if (!word.startsWith("$")) {
                words.add(word);
            } else if (!env.getOrDefault(word.substring(1), "").isBlank()) {
                words.addAll(List.of(env.get(word.substring(1)).strip().split("\\s+")));
            }
        }
        return words;
    }

    /**
     * The environment systemd gives the command: {@link #PATH}, then {@code Environment=}, then
     * each {@code EnvironmentFile=} in order (a {@code -} file may be missing), later ones winning.
     */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        for (String assignments : service.getOrDefault("Environment", List.of())) {
            for (String assignment : assignments.split("\\s+")) {
                put(env, assignment, "Environment=");
            }
        }
        for (String name : service.getOrDefault("EnvironmentFile", List.of())) {
            boolean optional = name.startsWith("-");
            Path file = Path.of(optional ? name.substring(1) : name);
            if (optional && !Files.exists(file)) {
                continue;
            }
            readEnvironmentFile(file, env);
        }
        return env;
    }

    /** An EnvironmentFile= as systemd reads one: NAME=value lines, '#' and ';' comments. */
    static void readEnvironmentFile(Path file, Map<String, String> env) {
        for (String raw : lines(file)) {
            String line = raw.strip();
            if (!line.isEmpty() && !line.startsWith("#") && !line.startsWith(";")) {
                put(env, line, file.toString());
            }
        }
    }

    /** NAME=value, or NAME='value' (single quotes: systemd takes what is between them as it is). */
    private static void put(Map<String, String> env, String assignment, String where) {
        int eq = assignment.indexOf('=');
        String value = eq < 1 ? "" : assignment.substring(eq + 1).strip();
        if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")
                && value.indexOf('\'', 1) == value.length() - 1) {
            value = value.substring(1, value.length() - 1);
        } else if (eq < 1 || value.matches(".*[\"'\\\\].*")) {
            throw new AssertionError(where + ": beyond NAME=value and NAME='value': " + assignment);
        }
        env.put(assignment.substring(0, eq).strip(), value);
    }

    /** The exit statuses systemd counts as a clean end besides 0. */
    Set<Integer> successExitStatus() {
        return statuses("SuccessExitStatus");
    }

    /** The exit statuses after which Restart=on-failure does not restart. */
    Set<Integer> restartPreventExitStatus() {
        return statuses("RestartPreventExitStatus");
    }

    private Set<Integer> statuses(String key) {
        Set<Integer> all = new TreeSet<>();
        for (String value : service.getOrDefault(key, List.of())) {
            for (String word : value.split("\\s+")) {
                all.add(Integer.parseInt(word));
            }
        }
        return all;
    }

    /** TimeoutStopSec= in the {@code NUMBERs} form our units use. */
    Duration timeoutStop() {
        String value = value("TimeoutStopSec");
        if (!value.matches("\\d+s")) {
            throw new AssertionError("TimeoutStopSec= not in seconds: " + value);
        }
        return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
