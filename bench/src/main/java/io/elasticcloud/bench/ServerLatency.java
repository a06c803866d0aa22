package io.elasticcloud.bench;

import io.elasticcloud.it.PlainHttp;
import io.elasticcloud.it.RunningSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/**
 * The power calls through the API against libvirt's own calls on the same domain XML, on real
 * QEMU guests (qemu:///system). Each repeat runs one series through the API on a new persistent
 * server with a public NIC (clean-traffic filter, DHCP host entry): create with start, shutdown
 * (once the guest listens for the power button) to info saying {@code stopped}, start, stop,
 * start, destroy; then the same series with virsh on the domain's own XML ({@code virsh dumpxml
 * --migratable} while it ran, the agent's metadata, name and UUID replaced so that no agent takes
 * it for its own): create, shutdown to the domain gone, create, destroy, create, destroy. The
 * baseline therefore has the same devices, console file and nwfilter references, and libvirt
 * pays for them there too. Every call is timed from the client: an HTTP request against a virsh
 * process (its start and its connection to libvirtd included). A call is done when its effect is
 * there: the domain running or gone (checked after each one, untimed), and for a shutdown the
 * status polled every {@value #POLL_MS} ms on both sides (GET info; libvirt's domain lookup). The
 * first repeat is a warm-up.
 */
final class ServerLatency {
    private static final Pattern METADATA = Pattern.compile("(?s)<metadata>.*?</metadata>");
    private static final Pattern CONSOLE = Pattern.compile("<serial type='file'>\\s*<source path='([^']+)'");
    private static final String URI = "qemu:///system";
    private static final long POLL_MS = 20;
    private static final Duration BOOT = Duration.ofMinutes(5);
    private static final Duration POWER_OFF = Duration.ofMinutes(2);

    final Map<PowerCall, List<Long>> api = new EnumMap<>(PowerCall.class);
    final Map<PowerCall, List<Long>> libvirt = new EnumMap<>(PowerCall.class);
    private final RunningSystem system;
    private final String auth;
    private final String iso;
    private final Path dir;
    private final Connect connect;

    ServerLatency(RunningSystem system, String auth, String isoDrive, Path dir) throws LibvirtException {
        this.system = system;
        this.auth = auth;
        this.iso = isoDrive;
        this.dir = dir;
        this.connect = new Connect(URI);
        for (PowerCall call : PowerCall.values()) {
            api.put(call, new ArrayList<>());
            libvirt.put(call, new ArrayList<>());
        }
    }

    void run(int repeats) {
        for (int rep = 0; rep <= repeats; rep++) {
            Map<PowerCall, List<Long>> a = new EnumMap<>(PowerCall.class);
            Map<PowerCall, List<Long>> l = new EnumMap<>(PowerCall.class);
            String xml = apiSeries(rep, a);
            libvirtSeries(rep, xml, l);
            StringBuilder line = new StringBuilder(rep == 0 ? "  warm-up:" : "  repeat " + rep + ":");
            for (PowerCall call : PowerCall.values()) {
                line.append(String.format(" %s %s/%s ms;", call.name().toLowerCase(), millis(a.get(call)),
                        millis(l.get(call))));
            }
            System.out.println(line + " load " + Bench.loadAverage());
            if (rep > 0) {
                a.forEach((call, nanos) -> api.get(call).addAll(nanos));
                l.forEach((call, nanos) -> libvirt.get(call).addAll(nanos));
            }
        }
        try {
            connect.close();
        } catch (LibvirtException e) {
            System.out.println("  closing libvirt: " + e.getMessage());
        }
    }

    /** The API's series on a new server; answers the domain XML it ran with. */
    private String apiSeries(int rep, Map<PowerCall, List<Long>> times) {
        long begun = System.nanoTime();
        PlainHttp.Reply created = system.http().post("/servers/create", auth, "name bench latency " + rep
                + "\ncpu 500\nmem 128\npersistent true\nide:0:0 " + iso + "\nide:0:0:media cdrom\nboot ide:0:0"
                + "\nnic:0:model virtio\nnic:0:dhcp auto\n");
        add(times, PowerCall.CREATE, System.nanoTime() - begun);
        if (created.status() != 200) {
            throw new IllegalStateException("create: " + created.describe());
        }
        String server = PlainHttp.parseObject(created.text()).get("server");
        String domain = "elastic-" + server;
        try {
            return apiCalls(server, domain, times);
        } catch (RuntimeException e) {
            // nothing left running for the next run (the system goes with this one)
            Shell.run("virsh -q -c " + URI + " destroy " + domain + " >/dev/null 2>&1 || true");
            throw e;
        }
    }

    private String apiCalls(String server, String domain, Map<PowerCall, List<Long>> times) {
        requireRunning(domain);
        String xml = Shell.run("virsh -c " + URI + " dumpxml --migratable " + domain);
        awaitReady(console(xml));

        long begun = System.nanoTime();
        post(server, "shutdown");
        poll("server " + server + " stopped after its shutdown", POWER_OFF, () -> "stopped".equals(status(server)));
        add(times, PowerCall.SHUTDOWN, System.nanoTime() - begun);
        requireGone(domain);
        for (int i = 0; i < 2; i++) {
            add(times, PowerCall.START, timed(() -> post(server, "start")));
            requireRunning(domain);
            if (i == 0) {
                add(times, PowerCall.STOP, timed(() -> post(server, "stop")));
                requireGone(domain);
            }
        }
        add(times, PowerCall.DESTROY, timed(() -> post(server, "destroy")));
        requireGone(domain);
        return xml;
    }

    /** The same calls with virsh on {@code xml}, renamed. */
    private void libvirtSeries(int rep, String xml, Map<PowerCall, List<Long>> times) {
        String name = "bench-baseline-" + rep;
        Path file = dir.resolve(name + ".xml");
        write(file, METADATA.matcher(xml).replaceFirst("")
                .replaceFirst("<name>[^<]*</name>", "<name>" + name + "</name>")
                .replaceFirst("<uuid>[^<]*</uuid>", "<uuid>" + UUID.randomUUID() + "</uuid>"));
        String create = "virsh -q -c " + URI + " create " + Shell.q(file) + " >/dev/null";
        String destroy = "virsh -q -c " + URI + " destroy " + name + " >/dev/null";
        try {
            add(times, PowerCall.CREATE, Shell.timed(create));
            requireRunning(name);
            awaitReady(console(xml));
            long begun = System.nanoTime();
            Shell.run("virsh -q -c " + URI + " shutdown " + name + " >/dev/null");
            poll(name + " gone after its shutdown", POWER_OFF, () -> !active(name));
            add(times, PowerCall.SHUTDOWN, System.nanoTime() - begun);
            for (int i = 0; i < 2; i++) {
                add(times, PowerCall.START, Shell.timed(create));
                requireRunning(name);
                add(times, i == 0 ? PowerCall.STOP : PowerCall.DESTROY, Shell.timed(destroy));
                requireGone(name);
            }
        } finally {
            Shell.run("virsh -q -c " + URI + " destroy " + name + " >/dev/null 2>&1 || true");
            file.toFile().delete();
            console(xml).toFile().delete();
        }
    }

    private void post(String server, String command) {
        PlainHttp.Reply r = system.http().post("/servers/" + server + "/" + command, auth, (byte[]) null);
        if (r.status() != 204) {
            throw new IllegalStateException(command + ": " + r.describe());
        }
    }

    private String status(String server) {
        PlainHttp.Reply r;
        try {
            r = system.http().get("/servers/" + server + "/info", auth);
        } catch (AssertionError | RuntimeException lost) {
            // a connection closed under the request (PlainHttp fails with an AssertionError):
            // no answer this time, the bounded poll asks again
            return null;
        }
        if (r.status() != 200) {
            throw new IllegalStateException("info: " + r.describe());
        }
        return PlainHttp.parseObject(r.text()).get("status");
    }

    private boolean active(String domain) {
        try {
            return connect.domainLookupByName(domain).isActive() == 1;
        } catch (LibvirtException gone) {
            return false;
        }
    }

    private void requireRunning(String domain) {
        if (!active(domain)) {
            throw new IllegalStateException(domain + " is not running");
        }
    }

    private void requireGone(String domain) {
        if (active(domain)) {
            throw new IllegalStateException(domain + " still runs");
        }
    }

    /** Until the test guest says it listens for the power button (deploy/build-test-guest.sh). */
    private static void awaitReady(Path console) {
        poll("the guest ready on " + console, BOOT, () -> {
            try {
                return Files.isRegularFile(console) && Files.readString(console, StandardCharsets.ISO_8859_1)
                        .contains("ELASTIC-TEST-GUEST-READY");
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static Path console(String xml) {
        Matcher m = CONSOLE.matcher(xml);
        if (!m.find()) {
            throw new IllegalStateException("the domain has no console file:\n" + xml);
        }
        return Path.of(m.group(1));
    }

    /** Polls every {@value #POLL_MS} ms until {@code done}; fails after {@code limit}. */
    private static void poll(String what, Duration limit, BooleanSupplier done) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + limit + ": " + what);
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static long timed(Runnable call) {
        long begun = System.nanoTime();
        call.run();
        return System.nanoTime() - begun;
    }

    private static void add(Map<PowerCall, List<Long>> times, PowerCall call, long nanos) {
        times.computeIfAbsent(call, c -> new ArrayList<>()).add(nanos);
    }

    private static String millis(List<Long> nanos) {
        return nanos.stream().map(n -> String.format("%.0f", n / 1e6)).reduce((x, y) -> x + "," + y).orElse("-");
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
