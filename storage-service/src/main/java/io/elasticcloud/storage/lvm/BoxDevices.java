package io.elasticcloud.storage.lvm;

import io.elasticcloud.storage.export.StorageDaemonCommand;
import io.elasticcloud.storage.host.HostCommands;
import io.elasticcloud.storage.nbd.NbdClient;
import io.elasticcloud.storage.nbd.NbdTarget;
import io.elasticcloud.storage.nbd.NbdVolumeHandle;
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices of a storage box, reached over NBD: one {@code qemu-storage-daemon} per device
 * served, started inside the box (through its guest agent) on the box's address, and a
 * connection per {@link #open}. The box's link is a bridge of the host it runs on, closed to
 * forwarding by {@code deploy/storage-box/start.sh}: only processes of that host reach it, as
 * only the processes of a real storage host reach its devices.
 *
 * <p>A daemon that no longer answers (the box restarted, the daemon died) is started again at the
 * next open; the daemons are this service's alone, so those a previous run left are stopped at
 * start and all of them at close. Their pid files are {@code /run/elastic-data-PORT.pid} in the box.
 */
public final class BoxDevices implements VolumeDevices {
    private static final Logger log = LoggerFactory.getLogger(BoxDevices.class);
    /** Pid files {@code /run/elastic-data-PORT.pid}: /run is there after every boot, a directory in it is not. */
    private static final String PID_PREFIX = "/run/elastic-data-";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Ends the daemon of pid file {@code $f} and removes the file. */
    private static final String STOP_ONE = "{ kill \"$(cat \"$f\")\" 2>/dev/null; rm -f \"$f\"; }";
    /** {@link #STOP_ONE} of the pid file given as the script's first argument. */
    private static final String STOP = "f=$1; " + STOP_ONE;

    private final StorageHostCommands host;
    private final String address;
    private final int firstPort;
    private final int lastPort;
    private final Duration timeout;
    /** The port serving each device. */
    private final Map<String, Integer> served = new HashMap<>();

    /**
     * @param address   the box's address, where the daemons listen
     * @param firstPort the first port of their range
     * @param lastPort  the last (inclusive)
     * @param timeout   how long a command in the box, or one NBD request, may take
     */
    public BoxDevices(HostCommands commands, String address, int firstPort, int lastPort, Duration timeout)
            throws IOException {
        this.host = new StorageHostCommands(commands, timeout);
        this.address = address;
        this.firstPort = firstPort;
        this.lastPort = lastPort;
        this.timeout = timeout;
        stopAll();
    }

    @Override
    public VolumeHandle open(String device, long size) throws IOException {
        int port = port(device);
        NbdClient client;
        try {
            client = new NbdClient(new NbdTarget(address, port, "d"), CONNECT_TIMEOUT, timeout);
        } catch (IOException gone) {
            log.info("the export of {} in the box at {} did not answer ({}): starting it again", device, address,
                    gone.getMessage());
            release(device);
            client = new NbdClient(new NbdTarget(address, port(device), "d"), CONNECT_TIMEOUT, timeout);
        }
        return new NbdVolumeHandle(client, size);
    }

    private synchronized int port(String device) throws IOException {
        Integer port = served.get(device);
        if (port != null) {
            return port;
        }
        IOException last = null;
        for (int candidate = firstPort; candidate <= lastPort; candidate++) {
            if (served.containsValue(candidate)) {
                continue;
            }
            HostCommands.Result result = host.run(command(device, candidate), null);
            if (result.exit() == 0) {
                served.put(device, candidate);
                return candidate;
            }
            last = host.failure(List.of("qemu-storage-daemon", device), result);
            if (!new String(result.stderr(), StandardCharsets.UTF_8).contains("Address already in use")) {
                break;
            }
        }
        throw last != null ? last : new IOException("no free port in " + firstPort + "-" + lastPort + " in the box at " + address);
    }

    /**
     * The daemon serving {@code device} on {@code port}, as export {@code d}: plain NBD, since only
     * this service's own client reads it, over the box's link that only this host reaches.
     */
    List<String> command(String device, int port) {
        return StorageDaemonCommand.argv("qemu-storage-daemon", PID_PREFIX + port + ".pid",
                StorageDaemonCommand.device(device), address, port, "d", false, null);
    }

    @Override
    public synchronized void release(String device) throws IOException {
        Integer port = served.remove(device);
        if (port != null) {
            // the pid file's path is an argument of the fixed script, never part of it
            host.run(List.of("sh", "-c", STOP, "stop", PID_PREFIX + port + ".pid"), null);
        }
    }

    private synchronized void stopAll() throws IOException {
        served.clear();
        host.run(List.of("sh", "-c", "for f in " + PID_PREFIX + "*.pid; do [ -f \"$f\" ] && " + STOP_ONE + "; done"), null);
    }

    @Override
    public void close() {
        try {
            stopAll();
        } catch (IOException e) {
            log.warn("could not stop the exports in the box at {}: {}", address, e.getMessage());
        }
    }
}
