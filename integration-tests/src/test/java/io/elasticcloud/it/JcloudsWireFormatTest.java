package io.elasticcloud.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jclouds.elasticstack.ElasticStackApi;
import org.jclouds.elasticstack.domain.ClaimType;
import org.jclouds.elasticstack.domain.CreateDriveRequest;
import org.jclouds.elasticstack.domain.DriveData;
import org.jclouds.elasticstack.domain.DriveInfo;
import org.jclouds.elasticstack.domain.DriveStatus;
import org.jclouds.elasticstack.domain.ImageConversionType;
import org.jclouds.elasticstack.domain.MediaType;
import org.jclouds.elasticstack.domain.StandardDrive;
import org.jclouds.io.Payload;
import org.jclouds.io.Payloads;
import org.jclouds.rest.AuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the unmodified jclouds ElasticStack client (2.7.0) puts on the wire for every drive call,
 * and what it makes of the replies, recorded against a loopback HTTP server that answers canned
 * text. This is the contract the API service must meet for jclouds; JCLOUDS-NOTES.md restates it
 * for people. It needs no running system.
 */
@ParameterizedClass(name = "jclouds.api-version {0}")
@ValueSource(strings = {"1.0", "2.0"})
class JcloudsWireFormatTest {

    private static final String DRIVE = "0796a05f-2db8-4bfa-9ee6-4a8b3e6d2a4c";
    private static final String SOURCE = "38df0986-4d85-4b76-b502-3878ffc80161";
    private static final Customer CUSTOMER = new Customer("eeeeeeee-1111-4222-8333-444444444444", "s3cret-key");
    private static final String DRIVE_INFO = """
            claim:type shared
            drive %s
            encryption:cipher aes-xts-plain
            imaging 42%%
            name wire drive
            read:bytes 4096
            read:requests 1
            readers ffffffff-ffff-ffff-ffff-ffffffffffff
            size 1073741824
            status active
            tags alpha beta
            user %s
            user:purpose test: spaces kept
            write:bytes 8192
            write:requests 2
            """.formatted(DRIVE, CUSTOMER.uuid());

    @Parameter
    String apiVersion;

    record Recorded(String method, String path, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, UTF_8);
        }
    }

    record Canned(int status, String contentType, byte[] body) {
        static Canned text(String body) {
            return new Canned(200, "text/plain", body.getBytes(UTF_8));
        }

        static Canned noContent() {
            return new Canned(204, null, new byte[0]);
        }
    }

    private final List<Recorded> recorded = new CopyOnWriteArrayList<>();
    private volatile Canned next = Canned.noContent();
    private HttpServer server;
    private ElasticStackApi api;

    @BeforeEach
    void startRecorder() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::record);
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        api = Jclouds.api(endpoint, CUSTOMER, apiVersion);
    }

    @AfterEach
    void stopRecorder() throws IOException {
        api.close();
        server.stop(0);
    }

    private void record(HttpExchange x) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        byte[] body;
        try (InputStream in = x.getRequestBody()) {
            body = in.readAllBytes();
        }
        recorded.add(new Recorded(x.getRequestMethod(), x.getRequestURI().getRawPath(), headers, body));
        Canned c = next;
        if (c.contentType() != null) {
            x.getResponseHeaders().set("Content-Type", c.contentType());
        }
        if (c.status() >= 400) {
            x.getResponseHeaders().set("X-Elastic-Error", "missing");
        }
        x.sendResponseHeaders(c.status(), c.body().length == 0 ? -1 : c.body().length);
        try (var out = x.getResponseBody()) {
            out.write(c.body());
        }
    }

    private Recorded only() {
        assertThat(recorded).as("requests sent").hasSize(1);
        return recorded.get(0);
    }

    private void assertCommonHeaders(Recorded r) {
        assertThat(r.header("Authorization")).isEqualTo(PlainHttp.basic(CUSTOMER));
        assertThat(r.header("User-Agent")).startsWith("jclouds/2.7.0 java/");
        assertThat(r.header("Host")).isEqualTo("127.0.0.1:" + server.getAddress().getPort());
    }

    /** A POST that carries no body: what HttpURLConnection adds of its own accord. */
    private void assertEmptyPost(Recorded r, String accept) {
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.body()).isEmpty();
        assertThat(r.header("Content-Length")).isEqualTo("0");
        assertThat(r.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(r.header("Accept")).isEqualTo(accept);
        assertCommonHeaders(r);
    }

    @Test
    void listDrivesIsAGetOfTextLines() {
        next = Canned.text(DRIVE + "\n" + SOURCE + "\n");
        Set<String> drives = api.listDrives();
        Recorded r = only();
        assertThat(r.method() + " " + r.path()).isEqualTo("GET /drives/list");
        assertThat(r.header("Accept")).isEqualTo("text/plain");
        assertThat(r.header("Content-Type")).isNull();
        assertThat(r.body()).isEmpty();
        assertCommonHeaders(r);
        assertThat(drives).containsExactlyInAnyOrder(DRIVE, SOURCE);
    }

    @Test
    void listDriveInfoParsesBlocksSeparatedByOneBlankLine() {
        String other = DRIVE_INFO.replace(DRIVE, SOURCE).replace("name wire drive", "name second");
        next = Canned.text(DRIVE_INFO + "\n" + other);
        Set<DriveInfo> infos = api.listDriveInfo();
        Recorded r = only();
        assertThat(r.method() + " " + r.path()).isEqualTo("GET /drives/info");
        assertThat(r.header("Accept")).isEqualTo("text/plain");
        assertThat(infos).extracting(DriveInfo::getUuid).containsExactlyInAnyOrder(DRIVE, SOURCE);
        assertThat(infos).extracting(DriveInfo::getName).containsExactlyInAnyOrder("wire drive", "second");
    }

    @Test
    void driveInfoParsesEveryKeyButImaging() {
        next = Canned.text(DRIVE_INFO);
        DriveInfo info = api.getDriveInfo(DRIVE);
        Recorded r = only();
        assertThat(r.method() + " " + r.path()).isEqualTo("GET /drives/" + DRIVE + "/info");
        assertThat(r.header("Accept")).isEqualTo("text/plain");
        assertThat(info.getUuid()).isEqualTo(DRIVE);
        assertThat(info.getName()).isEqualTo("wire drive");
        assertThat(info.getSize()).isEqualTo(1073741824L);
        assertThat(info.getClaimType()).isEqualTo(ClaimType.SHARED);
        assertThat(info.getReaders()).containsExactly("ffffffff-ffff-ffff-ffff-ffffffffffff");
        assertThat(info.getTags()).containsExactly("alpha", "beta");
        assertThat(info.getUserMetadata()).containsExactly(Map.entry("purpose", "test: spaces kept"));
        assertThat(info.getEncryptionCipher()).isEqualTo("aes-xts-plain");
        assertThat(info.getStatus()).isEqualTo(DriveStatus.ACTIVE);
        assertThat(info.getUser()).isEqualTo(CUSTOMER.uuid());
        assertThat(info.getMetrics().getReadBytes()).isEqualTo(4096);
        assertThat(info.getMetrics().getReadRequests()).isEqualTo(1);
        assertThat(info.getMetrics().getWriteBytes()).isEqualTo(8192);
        assertThat(info.getMetrics().getWriteRequests()).isEqualTo(2);
        // jclouds 2.7.0 never reads the imaging key: progress must be polled some other way
        assertThat(info.getImaging()).isNull();
    }

    @Test
    void driveInfoOfAMissingDriveIsNull() {
        next = new Canned(404, "text/plain", "drive not found\n".getBytes(UTF_8));
        assertThat(api.getDriveInfo(DRIVE)).isNull();
    }

    @Test
    void wrongCredentialsRaiseAuthorizationException() {
        next = new Canned(401, "text/plain", "authentication required\n".getBytes(UTF_8));
        assertThatThrownBy(() -> api.listDrives()).isInstanceOf(AuthorizationException.class);
    }

    @Test
    void createSendsEveryKeyAsTextWithoutFinalNewline() {
        next = Canned.text(DRIVE_INFO);
        CreateDriveRequest create = new CreateDriveRequest.Builder()
                .name("wire drive")
                .size(1073741824L)
                .claimType(ClaimType.SHARED)
                .readers(ImmutableSet.of("ffffffff-ffff-ffff-ffff-ffffffffffff"))
                .tags(ImmutableSet.of("alpha", "beta"))
                .userMetadata(ImmutableMap.of("purpose", "test: spaces kept"))
                .encryptionCipher("aes-xts-plain")
                .avoid(ImmutableSet.of(SOURCE))
                .build();
        DriveInfo info = api.createDrive(create);
        Recorded r = only();
        assertThat(r.method() + " " + r.path()).isEqualTo("POST /drives/create");
        assertThat(r.header("Content-Type")).isEqualTo("text/plain");
        assertThat(r.header("Accept")).isEqualTo("text/plain");
        assertThat(r.text()).isEqualTo("""
                name wire drive
                size 1073741824
                claim:type shared
                readers ffffffff-ffff-ffff-ffff-ffffffffffff
                tags alpha beta
                user:purpose test: spaces kept
                avoid %s
                encryption:cipher aes-xts-plain""".formatted(SOURCE));
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(r.body().length));
        assertCommonHeaders(r);
        assertThat(info.getUuid()).isEqualTo(DRIVE);
    }

    @Test
    void createWithOnlyNameAndSizeSendsOnlyThose() {
        next = Canned.text(DRIVE_INFO);
        api.createDrive(new CreateDriveRequest.Builder().name("plain").size(4096).build());
        assertThat(only().text()).isEqualTo("name plain\nsize 4096");
    }

    @Test
    void setAlwaysSendsSizeZeroWhenNoSizeIsGiven() {
        next = Canned.text(DRIVE_INFO);
        api.setDriveData(DRIVE, new DriveData.Builder().name("renamed").tags(ImmutableSet.of("gamma"))
                .userMetadata(ImmutableMap.of("k", "v")).build());
        Recorded r = only();
        assertThat(r.method() + " " + r.path()).isEqualTo("POST /drives/" + DRIVE + "/set");
        assertThat(r.header("Content-Type")).isEqualTo("text/plain");
        assertThat(r.text()).isEqualTo("name renamed\nsize 0\ntags gamma\nuser:k v");
    }

    @Test
    void setCannotSendClaimTypeExclusive() {
        next = Canned.text(DRIVE_INFO);
        api.setDriveData(DRIVE, new DriveData.Builder().name("n").size(8192).claimType(ClaimType.EXCLUSIVE).build());
        assertThat(only().text()).isEqualTo("name n\nsize 8192");
    }

    @Test
    void destroyIsAnEmptyPostAndIgnoresNotFound() {
        next = Canned.noContent();
        api.destroyDrive(DRIVE);
        Recorded r = only();
        assertThat(r.path()).isEqualTo("/drives/" + DRIVE + "/destroy");
        assertEmptyPost(r, "text/plain");

        next = new Canned(404, "text/plain", "no such drive\n".getBytes(UTF_8));
        api.destroyDrive(DRIVE); // jclouds swallows 404 here
        assertThat(recorded).hasSize(2);
    }

    @Test
    void imageIsAnEmptyPostWithOptionalConversion() {
        api.imageDrive(SOURCE, DRIVE);
        api.imageDrive(SOURCE, DRIVE, ImageConversionType.GUNZIP);
        api.imageDrive(SOURCE, DRIVE, ImageConversionType.GZIP);
        assertThat(recorded).extracting(Recorded::path).containsExactly(
                "/drives/" + DRIVE + "/image/" + SOURCE,
                "/drives/" + DRIVE + "/image/" + SOURCE + "/gunzip",
                "/drives/" + DRIVE + "/image/" + SOURCE + "/gzip");
        recorded.forEach(r -> assertEmptyPost(r, "text/plain"));
    }

    @Test
    void readIsAPostAcceptingOctetStream() throws IOException {
        byte[] data = TestBytes.random(7, 4096);
        next = new Canned(200, "application/octet-stream", data);
        Payload p = api.readDrive(DRIVE, 1048576L, 4096L);
        Recorded r = only();
        assertThat(r.path()).isEqualTo("/drives/" + DRIVE + "/read/1048576/4096");
        assertEmptyPost(r, "application/octet-stream");
        try (InputStream in = p.openStream()) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void writeSendsRawBytesAsOctetStream() {
        byte[] data = TestBytes.random(8, 65536);
        api.writeDrive(DRIVE, Payloads.newByteArrayPayload(data));
        api.writeDrive(DRIVE, Payloads.newByteArrayPayload(data), 131072L);
        assertThat(recorded).extracting(Recorded::path)
                .containsExactly("/drives/" + DRIVE + "/write", "/drives/" + DRIVE + "/write/131072");
        for (Recorded r : recorded) {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(r.header("Content-Length")).isEqualTo("65536");
            assertThat(r.header("Content-Encoding")).isNull();
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(r.header("Accept")).isEqualTo("text/plain");
            assertThat(r.body()).isEqualTo(data);
        }
    }

    @Test
    void writeOfAGzipPayloadSendsContentEncodingGzip() {
        byte[] raw = TestBytes.patterned(100_000);
        byte[] gz = TestBytes.gzip(raw);
        Payload p = Payloads.newByteArrayPayload(gz);
        p.getContentMetadata().setContentEncoding("gzip");
        api.writeDrive(DRIVE, p);
        Recorded r = only();
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(gz.length));
        assertThat(TestBytes.gunzip(r.body())).isEqualTo(raw);
    }

    @Test
    void standardDrivesAreListedAtTheirOwnPaths() {
        next = Canned.text(SOURCE + "\n");
        assertThat(api.listStandardDrives()).containsExactly(SOURCE);
        next = Canned.text("""
                claim:type shared
                drive %s
                format gzip
                media disk
                name CentOS Linux 5.5
                rawsize 1073741824
                readers ffffffff-ffff-ffff-ffff-ffffffffffff
                size 208896000
                """.formatted(SOURCE));
        Set<StandardDrive> standard = api.listStandardDriveInfo();
        assertThat(recorded).extracting(r -> r.method() + " " + r.path())
                .containsExactly("GET /drives/list/standard", "GET /drives/info/standard");
        assertThat(standard).singleElement().satisfies(s -> {
            assertThat(s.getUuid()).isEqualTo(SOURCE);
            assertThat(s.getName()).isEqualTo("CentOS Linux 5.5");
            assertThat(s.getMedia()).isEqualTo(MediaType.DISK);
            assertThat(s.getFormat()).isEqualTo(ImageConversionType.GZIP);
            assertThat(s.getRawSize()).isEqualTo(1073741824L);
            assertThat(s.getSize()).isEqualTo(208896000L);
            assertThat(s.getClaimType()).isEqualTo(ClaimType.SHARED);
        });
    }

    /**
     * What the server API tells the two versions apart by (docs/api.md, "two client dialects"):
     * 1.0 names the console {@code vnc:ip}, 2.0 {@code vnc}; 1.0 reads the address from {@code
     * nic:0:dhcp}, 2.0 from {@code nic:0:dhcp:ip}; both send back the address they read.
     */
    @Test
    void serverAddressesAreWrittenAndReadByVersion() {
        next = Canned.text("""
                name s
                server %s
                cpu 1000
                mem 512
                persistent true
                nic:0:model e1000
                nic:0:dhcp %s
                nic:0:dhcp:ip 169.254.10.9
                vnc auto
                vnc:ip 169.254.10.9
                status active
                user %s
                """.formatted(SOURCE, apiVersion.equals("1.0") ? "169.254.10.9" : "auto", CUSTOMER.uuid()));
        var info = api.createServer(org.jclouds.elasticstack.util.Servers.small("s", DRIVE, "Il0veVNC").build());
        assertThat(info.getNics().get(0).getDhcp()).isEqualTo("169.254.10.9");
        assertThat(info.getVnc().getIp()).isEqualTo("169.254.10.9");
        Map<String, String> created = PlainHttp.parseObject(only().text());
        assertThat(created).containsEntry("nic:0:dhcp", "auto").containsEntry("password", "Il0veVNC");
        if (apiVersion.equals("1.0")) {
            assertThat(created).containsEntry("vnc:ip", "auto").doesNotContainKey("vnc");
        } else {
            assertThat(created).containsEntry("vnc", "auto").doesNotContainKey("vnc:ip");
        }
        recorded.clear();
        api.setServerConfiguration(SOURCE, org.jclouds.elasticstack.domain.Server.Builder.fromServer(info).build());
        Map<String, String> set = PlainHttp.parseObject(only().text());
        assertThat(set).containsEntry("nic:0:dhcp", "169.254.10.9");
        assertThat(set.containsKey("vnc:ip")).isEqualTo(apiVersion.equals("1.0"));
    }
}
