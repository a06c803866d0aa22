package io.elasticcloud.storage.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Events.ImagingFinished;
import io.elasticcloud.protocol.datapath.HttpVolumeDataPath;
import io.elasticcloud.protocol.datapath.RoutingVolumeDataPath;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.Conversion;
import io.elasticcloud.protocol.storage.StorageCommands.ImageVolume;
import io.elasticcloud.protocol.storage.VolumeRef;
import io.elasticcloud.storage.imaging.ImagingService;
import io.elasticcloud.storage.testing.RecordingTransport;
import io.elasticcloud.storage.volume.FileVolumeBackend;
import io.elasticcloud.protocol.secret.MasterKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The internal HTTP data path end to end on loopback: {@link DataPathServer} in front of real file
 * volumes (raw and LUKS), {@link HttpVolumeDataPath} as the API service and other storage
 * processes use it. Same bytes and same error types as the local path; nothing without the secret.
 */
class HttpDataPathTest {
    static final String SECRET = "s3cret-of-the-cloud";
    static final String NODE = "pool-far";

    @TempDir
    Path dir;
    FileVolumeBackend far;
    LocalVolumeDataPath local = new LocalVolumeDataPath();
    DataPathServer server;
    HttpVolumeDataPath remote;

    @BeforeEach
    void start() throws IOException {
        far = new FileVolumeBackend(dir.resolve("far"), MasterKey.random(), 8);
        local.register(NODE, far);
        server = new DataPathServer("127.0.0.1", 0, 4, java.util.List.of(SECRET), null, local);
        remote = client(SECRET);
    }

    @AfterEach
    void stop() {
        server.close();
        far.close();
    }

    HttpVolumeDataPath client(String secret) {
        URI url = URI.create("http://127.0.0.1:" + server.port());
        return new HttpVolumeDataPath(node -> url, secret, null, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @Test
    void writesAndReadsTheSameBytesAsTheLocalPathRawAndEncrypted() throws IOException {
        for (Cipher cipher : new Cipher[] {Cipher.NONE, Cipher.AES_XTS_PLAIN}) {
            String volume = "v-" + cipher.name().toLowerCase().replace('_', '-');
            long size = (6L << 20) + 1000;
            far.create(volume, size, cipher, null);
            byte[] data = new byte[(3 << 20) + 17];
            new Random(cipher.ordinal()).nextBytes(data);
            VolumeRef ref = new VolumeRef(NODE, volume);

            remote.write(ref, 4096, data.length, new ByteArrayInputStream(data));
            assertThat(readAll(local, ref, 4096, data.length)).isEqualTo(data);
            assertThat(readAll(remote, ref, 4096, data.length)).isEqualTo(data);
            // cut at the end of the volume, nothing at or past it
            assertThat(readAll(remote, ref, size - 10, 100)).hasSize(10);
            assertThat(readAll(remote, ref, size, 100)).isEmpty();
            assertThat(readAll(remote, ref, size + 4096, 100)).isEmpty();
            assertThat(remote.plainFile(ref)).isEmpty();
        }
    }

    @Test
    void largeWritesAtOddOffsetsReadBackInFourMegabytePieces() throws IOException {
        far.create("odd", 9L << 20, Cipher.NONE, null);
        byte[] data = new byte[(5 << 20) + 123];
        new Random(7).nextBytes(data);
        VolumeRef ref = new VolumeRef(NODE, "odd");
        long at = (3L << 20) + 7;
        remote.write(ref, at, data.length, new ByteArrayInputStream(data));
        assertThat(Arrays.equals(readAll(local, ref, at, data.length), data)).as("local read").isTrue();
        byte[] first = readAll(remote, ref, at, 4 << 20);
        assertThat(Arrays.mismatch(first, Arrays.copyOf(data, 4 << 20))).as("first mismatch").isEqualTo(-1);
    }

    @Test
    void refusesCallersWithoutTheSecret() throws Exception {
        far.create("v", 4096, Cipher.NONE, null);
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + server.port() + "/volumes/" + NODE + "/v?offset=0&length=10");
        for (String authorization : new String[] {null, "Bearer wrong", "Bearer " + SECRET + "x", "Basic " + SECRET}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> reply = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).as(String.valueOf(authorization)).isEqualTo(401);
            assertThat(reply.headers().firstValue("X-Elastic-Error")).hasValue("auth");
        }
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + SECRET).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).hasSize(10);

        // through the client: a wrong secret is the platform's fault, never the customer's auth error
        assertType(() -> client("wrong").read(new VolumeRef(NODE, "v"), 0, 10, new ByteArrayOutputStream()),
                ErrorType.SYSTEM);
        assertType(() -> client("wrong").write(new VolumeRef(NODE, "v"), 0, 3, new ByteArrayInputStream(new byte[3])),
                ErrorType.SYSTEM);
        assertType(() -> client(null).read(new VolumeRef(NODE, "v"), 0, 10, new ByteArrayOutputStream()),
                ErrorType.SYSTEM);
        assertThat(readAll(local, new VolumeRef(NODE, "v"), 0, 3)).containsExactly(0, 0, 0);
    }

    @Test
    void errorsAreTheLocalPathsTypes() throws IOException {
        far.create("v", 8192, Cipher.NONE, null);
        VolumeRef missing = new VolumeRef(NODE, "ghost");
        assertType(() -> remote.read(missing, 0, 10, new ByteArrayOutputStream()), ErrorType.MISSING);
        assertType(() -> remote.write(missing, 0, 3, new ByteArrayInputStream(new byte[3])), ErrorType.MISSING);

        VolumeRef v = new VolumeRef(NODE, "v");
        byte[] ones = new byte[100];
        Arrays.fill(ones, (byte) 1);
        assertType(() -> remote.write(v, 8150, 100, new ByteArrayInputStream(ones)), ErrorType.FULL);
        assertType(() -> remote.write(v, 9000, 1, new ByteArrayInputStream(ones)), ErrorType.FULL);
        assertThat(readAll(local, v, 8150, 42)).containsOnly(0);
        assertType(() -> remote.write(v, 0, 100, new ByteArrayInputStream(new byte[40])), ErrorType.USAGE);
        assertType(() -> remote.read(v, -1, 10, new ByteArrayOutputStream()), ErrorType.USAGE);
        // a node this server does not hold is a routing fault
        assertType(() -> remote.read(new VolumeRef("pool-elsewhere", "v"), 0, 10, new ByteArrayOutputStream()),
                ErrorType.SYSTEM);

        server.close();
        assertType(() -> remote.read(v, 0, 10, new ByteArrayOutputStream()), ErrorType.SYSTEM);
    }

    @Test
    void imagingReadsItsSourceFromAnotherProcess() throws Exception {
        byte[] data = ("a drive imaged across processes\n").repeat(100_000).getBytes();
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(data);
        }
        far.create("src", zipped.size(), Cipher.AES_XTS_PLAIN, new ByteArrayInputStream(zipped.toByteArray()));
        FileVolumeBackend here = new FileVolumeBackend(dir.resolve("here"), MasterKey.random(), 8);
        LocalVolumeDataPath mine = new LocalVolumeDataPath();
        mine.register("pool-here", here);
        here.create("dst", data.length, Cipher.NONE, null);
        RecordingTransport bus = new RecordingTransport();
        ExecutorService threads = Executors.newFixedThreadPool(1);
        try {
            ImagingService imaging = new ImagingService("pool-here", here, new RoutingVolumeDataPath(mine, remote),
                    threads, bus::publish, Duration.ZERO);
            imaging.submit(new ImageVolume("c1", "j1", "dst", new VolumeRef(NODE, "src"), zipped.size(), Conversion.GUNZIP));
            ImagingFinished done = bus.await(ImagingFinished.class, f -> f.job().equals("j1"), Duration.ofSeconds(60));
            assertThat(done.error()).as(done.message()).isNull();
            assertThat(readAll(mine, new VolumeRef("pool-here", "dst"), 0, data.length)).isEqualTo(data);
        } finally {
            threads.shutdownNow();
            here.close();
        }
    }

    static byte[] readAll(io.elasticcloud.protocol.storage.VolumeDataPath path, VolumeRef ref, long offset, long length)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = path.read(ref, offset, length, out);
        assertThat(n).isEqualTo(out.size());
        return out.toByteArray();
    }

    interface Call {
        void run() throws Exception;
    }

    static void assertType(Call call, ErrorType type) {
        assertThatThrownBy(call::run).isInstanceOf(ElasticException.class)
                .satisfies(e -> assertThat(((ElasticException) e).type()).as(e.getMessage()).isEqualTo(type));
    }
}
