package io.elasticcloud.agent.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs commands as child processes, each bounded by a timeout, optionally behind a fixed prefix. */
public final class ProcessCommandRunner implements CommandRunner {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final List<String> prefix;
    private final Duration timeout;

    public ProcessCommandRunner(List<String> prefix, Duration timeout) {
        this.prefix = List.copyOf(prefix);
        this.timeout = timeout;
    }

    /** Commands on this host, in the agent's own network namespace. */
    public static ProcessCommandRunner local() {
        return new ProcessCommandRunner(List.of(), TIMEOUT);
    }

    /** Commands inside the named network namespace ({@code ip netns exec NAME ...}). */
    public static ProcessCommandRunner inNamespace(String namespace) {
        return new ProcessCommandRunner(List.of("ip", "netns", "exec", namespace), TIMEOUT);
    }

    @Override
    public Result run(List<String> argv) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(argv);
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            return new Result(-1, "", "cannot run " + String.join(" ", command) + ": " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // nothing is written to it: a command reading its input sees the end at once
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "", String.join(" ", command) + " took longer than " + timeout);
            }
            return new Result(process.exitValue(), out.get(timeout.toMillis(), TimeUnit.MILLISECONDS),
                    err.get(timeout.toMillis(), TimeUnit.MILLISECONDS).strip());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, "", "interrupted: " + String.join(" ", command));
        } catch (ExecutionException | TimeoutException e) {
            return new Result(-1, "", "output of " + String.join(" ", command) + " unreadable: " + e.getMessage());
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
