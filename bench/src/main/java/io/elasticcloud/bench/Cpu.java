package io.elasticcloud.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time (user + system) of a process so far, from /proc/PID/stat: with the wall-clock time of a
 * phase it says whether the system was busy computing or waiting (for the disk, fsync, the client).
 */
final class Cpu {
    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private Cpu() {
    }

    /** The system under test: the child java process running elastic-cloud.jar (run-single-host.sh execs it). */
    static long systemPid() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("elastic-cloud.jar")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst()
                .orElseThrow(() -> new IllegalStateException("the system's java process is not a child of this one"));
    }

    /** seconds of CPU used by the process so far; NaN if it cannot be read */
    static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3, utime 14, stime 15 -> indexes 11 and 12 here
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * CPU seconds so far of the API process, of every PostgreSQL process, of RabbitMQ's and of this
     * benchmark's JVM (its clients and its simulated fleet), read at one moment: two readings say
     * what a phase cost the whole machine. A process that ends in the phase takes its seconds with
     * it (PostgreSQL's backends of the pooled connections stay).
     */
    record Reading(long nanos, Map<String, Double> seconds) {
        static Reading now(long apiPid) {
            Map<String, Double> seconds = new LinkedHashMap<>();
            seconds.put("API", Cpu.seconds(apiPid));
            seconds.put("PostgreSQL", named("postgres"));
            seconds.put("RabbitMQ", named("beam.smp"));
            seconds.put("benchmark (clients, fleet)", Cpu.seconds(ProcessHandle.current().pid()));
            return new Reading(System.nanoTime(), seconds);
        }

        /** Cores each process used on average since {@code before}. */
        Map<String, Double> coresSince(Reading before) {
            Map<String, Double> cores = new LinkedHashMap<>();
            double wall = (nanos - before.nanos) / 1e9;
            seconds.forEach((name, s) -> cores.put(name, (s - before.seconds.get(name)) / wall));
            return cores;
        }

        /**
         * CPU per operation of {@code operations} done since {@code before}, beyond what each process
         * spends with nothing asked of it ({@code idle}, in cores): milliseconds per process and in all.
         */
        Map<String, Double> msPerOperationSince(Reading before, long operations, Map<String, Double> idle) {
            Map<String, Double> ms = new LinkedHashMap<>();
            double wall = (nanos - before.nanos) / 1e9;
            double all = 0;
            for (Map.Entry<String, Double> e : seconds.entrySet()) {
                double beyond = e.getValue() - before.seconds.get(e.getKey()) - idle.get(e.getKey()) * wall;
                double each = beyond * 1000 / Math.max(1, operations);
                ms.put(e.getKey(), each);
                all += each;
            }
            ms.put("all", all);
            return ms;
        }
    }

    /** "API 9.1 ms, PostgreSQL 2.0 ms, ..." ({@code unit} after each figure). */
    static String format(Map<String, Double> figures, String unit) {
        StringBuilder text = new StringBuilder();
        figures.forEach((name, v) -> text.append(text.isEmpty() ? "" : ", ").append(String.format("%s %.2f%s", name, v, unit)));
        return text.toString();
    }

    private static double named(String command) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> command.equals(comm(p)))
                    .mapToDouble(p -> seconds(Long.parseLong(p.getFileName().toString())))
                    .filter(s -> !Double.isNaN(s)).sum();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static String comm(Path proc) {
        try {
            return Files.readString(proc.resolve("comm")).strip();
        } catch (IOException e) {
            return ""; // ended meanwhile
        }
    }
}
