package io.elasticcloud.bench;

import io.elasticcloud.it.PlainHttp;
import io.elasticcloud.it.RunningSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * From {@code POST /servers/create} (with the start) to the guest's domain running, against
 * {@code virsh create} of the same domain XML. The system runs real QEMU guests (qemu:///system);
 * the create's reply comes once the agent's {@code createXML} returned, i.e. the domain runs (checked
 * after each one, untimed). The baseline's XML is the domain's own ({@code virsh dumpxml
 * --migratable} while it runs) with the agent's metadata, name and UUID replaced, so that no agent
 * takes it for its own; the server is destroyed before the baseline starts. Both are timed from
 * the client: an HTTP request against a virsh process (its start and its connection to libvirtd
 * included). The first pair is a warm-up; repeats alternate nothing else.
 */
final class ServerLatency {
    private static final Pattern METADATA = Pattern.compile("(?s)<metadata>.*?</metadata>");

    final List<Long> api = new ArrayList<>();
    final List<Long> virsh = new ArrayList<>();
    private final RunningSystem system;
    private final String auth;
    private final String iso;
    private final Path dir;

    ServerLatency(RunningSystem system, String auth, String isoDrive, Path dir) {
        this.system = system;
        this.auth = auth;
        this.iso = isoDrive;
        this.dir = dir;
    }

    void run(int repeats) {
        for (int rep = 0; rep <= repeats; rep++) {
            String server = null;
            long begun = System.nanoTime();
            PlainHttp.Reply created = system.http().post("/servers/create", auth, "name bench latency " + rep
                    + "\ncpu 500\nmem 128\nide:0:0 " + iso + "\nide:0:0:media cdrom\nboot ide:0:0\n");
            long apiNanos = System.nanoTime() - begun;
            if (created.status() != 200) {
                throw new IllegalStateException("create: " + created.describe());
            }
            server = PlainHttp.parseObject(created.text()).get("server");
            String domain = "elastic-" + server;
            requireRunning(domain);
            String xml = Shell.run("virsh -c qemu:///system dumpxml --migratable " + domain);
            destroy(server);

            String baseline = "bench-baseline-" + rep;
            Path file = dir.resolve(baseline + ".xml");
            write(file, METADATA.matcher(xml).replaceFirst("")
                    .replaceFirst("<name>[^<]*</name>", "<name>" + baseline + "</name>")
                    .replaceFirst("<uuid>[^<]*</uuid>", "<uuid>" + UUID.randomUUID() + "</uuid>"));
            long virshNanos;
            try {
                virshNanos = Shell.timed("virsh -q -c qemu:///system create " + Shell.q(file) + " >/dev/null");
                requireRunning(baseline);
            } finally {
                Shell.run("virsh -q -c qemu:///system destroy " + baseline + " >/dev/null 2>&1 || true");
                file.toFile().delete();
            }
            String label = rep == 0 ? "warm-up" : "repeat " + rep;
            System.out.printf("  %s: POST /servers/create %.0f ms, virsh create %.0f ms%n", label, apiNanos / 1e6,
                    virshNanos / 1e6);
            if (rep > 0) {
                api.add(apiNanos);
                virsh.add(virshNanos);
            }
        }
    }

    private void destroy(String server) {
        PlainHttp.Reply r = system.http().post("/servers/" + server + "/destroy", auth, (byte[]) null);
        if (r.status() != 204) {
            throw new IllegalStateException("destroy: " + r.describe());
        }
    }

    private static void requireRunning(String domain) {
        String state = Shell.run("virsh -c qemu:///system domstate " + domain).strip();
        if (!state.equals("running")) {
            throw new IllegalStateException(domain + " is " + state + ", not running");
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
