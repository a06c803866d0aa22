package io.elasticcloud.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy in front of API instances, started as an operator starts it ({@code
 * deploy/load-balancer.sh}), on a free loopback port, connecting to the instances from {@link
 * #SOURCE}; its output goes to {@code target/system-NAME.log}. {@link #close()} stops it.
 */
public final class LoadBalancer implements AutoCloseable {
    /** The address the instances see the load balancer's connections come from, and trust alone. */
    static final String SOURCE = "127.0.0.2";
    /** {@code server.tomcat.remoteip.internal-proxies} for the instances: {@link #SOURCE} only. */
    static final String TRUSTED = "127\\.0\\.0\\.2";

    private final Process process;
    private final int port;

    private LoadBalancer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts it before {@code instances} and returns once their health through it answers 200. */
    public static LoadBalancer start(String name, RunningSystem... instances) {
        LoadBalancer lb = onPorts(name, Arrays.stream(instances).mapToInt(i -> i.baseUri().getPort()).toArray());
        try {
            PlainHttp http = lb.http();
            Wait.until("the load balancer answers health", Duration.ofSeconds(30),
                    () -> http.get("/actuator/health", null).status() == 200);
            return lb;
        } catch (RuntimeException | Error e) {
            lb.close();
            throw e;
        }
    }

    /** Starts it before whatever listens on these loopback ports; returns once it listens. */
    static LoadBalancer onPorts(String name, int... instancePorts) {
        return onPorts(name, null, instancePorts);
    }

    /**
     * As {@link #onPorts(String, int...)}, with its runtime API on {@code socket} ({@code
     * ELASTIC_LB_SOCKET}) unless null.
     */
    static LoadBalancer onPorts(String name, Path socket, int... instancePorts) {
        int port = RunningSystemSupport.freeLoopbackPort();
        List<String> command = new ArrayList<>(List.of(
                RunningSystemSupport.repositoryRoot().resolve("deploy/load-balancer.sh").toString(), "127.0.0.1:" + port));
        for (int instance : instancePorts) {
            command.add("127.0.0.1:" + instance);
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(RunningSystemSupport.logDirectory().resolve("system-" + name + ".log").toFile());
        pb.environment().put("ELASTIC_LB_SOURCE", SOURCE);
        if (socket != null) {
            pb.environment().put("ELASTIC_LB_SOCKET", socket.toString());
        }
        LoadBalancer lb;
        try {
            lb = new LoadBalancer(pb.start(), port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start deploy/load-balancer.sh", e);
        }
        try {
            Wait.until("the load balancer listens", Duration.ofSeconds(30), () -> lb.process.isAlive() && lb.listening());
            return lb;
        } catch (RuntimeException | Error e) {
            lb.close();
            throw e;
        }
    }

    private boolean listening() {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public PlainHttp http() {
        return new PlainHttp(baseUri());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
