package io.elasticcloud.storage.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs commands on this machine, for a storage service running on a real storage host. The
 * command gets {@code LC_ALL=C} (tools' messages and number formats do not depend on the
 * operator's locale); its stdin is written and closed, and its stdout and stderr are drained, each
 * on its own thread, so that neither a command that reads no stdin nor one that writes megabytes
 * can block the other side. On timeout the whole process tree is killed, children first found
 * while the parent still holds them.
 */
public final class LocalCommands implements HostCommands {
    /** How long a killed command may take to go away before we stop waiting for it. */
    private static final Duration REAP_WAIT = Duration.ofSeconds(5);

    private static final ExecutorService IO = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "local-commands-io");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public Result run(List<String> argv, byte[] stdin, Duration timeout) throws IOException {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("no command given");
        }
        Objects.requireNonNull(stdin, "stdin");
        long deadline = System.nanoTime() + timeout.toNanos();
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().put("LC_ALL", "C");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
        CompletableFuture<Void> input = CompletableFuture.runAsync(() -> feed(process.getOutputStream(), stdin), IO);
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()), IO);
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()), IO);
        try {
            if (!process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
                destroyTree(process);
                throw new IOException(argv.get(0) + " did not finish within " + timeout.toMillis() + " ms and was killed");
            }
            // a child that inherited stdout or stderr can keep them open after the command exits (unless
            // the JDK's reaper closed them first: it does at exit when no read is under way)
            CompletableFuture.allOf(input, out, err).get(remaining(deadline), TimeUnit.NANOSECONDS);
            return new Result(process.exitValue(), out.get(), err.get());
        } catch (TimeoutException e) {
            throw new IOException(argv.get(0) + " exited, but something it started kept its output open beyond "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException("cannot read the output of " + argv.get(0) + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            destroyTree(process);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + argv.get(0) + " ran; it was killed");
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** Writes stdin and closes it; a command that exits without reading it is no error. */
    private static void feed(OutputStream stdin, byte[] bytes) {
        try (stdin) {
            stdin.write(bytes);
        } catch (IOException commandDidNotRead) {
            // broken pipe: the command chose not to read (all of) its input; its exit says the rest
        }
    }

    private static byte[] drain(InputStream stream) {
        try (stream) {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Kills the command and everything it started. The descendants are listed before the parent
     * dies, since an orphan is reparented and no longer found under it.
     */
    private static void destroyTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(REAP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
