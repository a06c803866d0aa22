package io.elasticcloud.it;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Customers working servers through one address, each on a thread of its own, until told to stop:
 * a round is a drive created (unencrypted: libvirt's test driver keeps no secrets), a server created with it and started ({@code block:0}, {@code
 * nic:0:dhcp auto}), stopped, started again, and (three rounds in four) destroyed with its drive;
 * the fourth keeps its server stopped. Every call is recorded with when it began and ended and
 * how it was answered. A call answered otherwise than a success ends the round: what it may have
 * left is the system's to settle, and the next round starts with a new drive. Told to stop, each
 * client stops after the call it is in, wherever its round is.
 */
final class ServerChurn implements AutoCloseable {
    /**
     * One call: what, when (System.nanoTime), its status (0: no HTTP answer at all) and its body
     * (a failure: as {@link PlainHttp.Reply#describe()}, or why there was no answer).
     */
    record Call(String what, long begun, long ended, int status, String answer) {
        boolean failed() {
            return status != 200 && status != 204;
        }

        /** Whether it was on its way at {@code nanos}. */
        boolean inFlightAt(long nanos) {
            return begun <= nanos && ended >= nanos;
        }
    }

    private final PlainHttp http;
    private final String serverKeys;
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final ExecutorService threads;
    private final List<Future<?>> clients = new ArrayList<>();

    /**
     * Starts one client per customer ({@code authorizations}) against {@code http}; {@code
     * serverKeys} are the keys of each server besides its name, drive and NIC.
     */
    ServerChurn(PlainHttp http, List<String> authorizations, String serverKeys) {
        this.http = http;
        this.serverKeys = serverKeys;
        this.threads = Executors.newFixedThreadPool(authorizations.size());
        for (int i = 0; i < authorizations.size(); i++) {
            String auth = authorizations.get(i);
            int client = i;
            clients.add(threads.submit(() -> work(client, auth)));
        }
    }

    private void work(int client, String auth) {
        for (int round = 0; !stopping.get(); round++) {
            String name = "churn " + client + "." + round;
            Call drive = call("drive create", auth, "/drives/create", "name " + name + "\nsize 1M\nencryption:cipher none\n");
            if (drive.failed()) {
                continue;
            }
            String driveId = PlainHttp.parseObject(drive.answer()).get("drive");
            Call created = call("server create", auth, "/servers/create",
                    "name " + name + "\n" + serverKeys + "block:0 " + driveId + "\nnic:0:model virtio\nnic:0:dhcp auto\n");
            if (created.failed()) {
                continue;
            }
            String server = PlainHttp.parseObject(created.answer()).get("server");
            if (call("server stop", auth, "/servers/" + server + "/stop", null).failed()
                    || call("server start", auth, "/servers/" + server + "/start", null).failed()) {
                continue;
            }
            if (round % 4 == 3) {
                call("server stop", auth, "/servers/" + server + "/stop", null);
            } else if (!call("server destroy", auth, "/servers/" + server + "/destroy", null).failed()) {
                call("drive destroy", auth, "/drives/" + driveId + "/destroy", null);
            }
        }
    }

    /** A call, or (once told to stop) none: an empty one counted as failed, which ends the round. */
    private Call call(String what, String auth, String path, String body) {
        if (stopping.get()) {
            return new Call("none: stopping", 0, 0, -1, "");
        }
        long begun = System.nanoTime();
        Call call;
        try {
            PlainHttp.Reply r = body == null ? http.post(path, auth, (byte[]) null) : http.post(path, auth, body);
            call = new Call(what, begun, System.nanoTime(), r.status(),
                    r.status() == 200 || r.status() == 204 ? r.text() : r.describe());
        } catch (AssertionError noAnswer) {
            call = new Call(what, begun, System.nanoTime(), 0, noAnswer.getMessage());
        }
        calls.add(call);
        return call;
    }

    /** Lets every client finish the call it is in, and answers all calls made (none after it). */
    List<Call> stop() throws Exception {
        stopping.set(true);
        for (Future<?> client : clients) {
            client.get(PlainHttp.CALL_TIMEOUT.toSeconds() * 6, TimeUnit.SECONDS);
        }
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    @Override
    public void close() {
        stopping.set(true);
        threads.shutdownNow();
    }
}
