package io.elasticcloud.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
