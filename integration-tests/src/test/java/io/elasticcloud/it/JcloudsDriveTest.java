package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every drive call of the unmodified Apache jclouds ElasticStack client (2.7.0), against the
 * whole system started as an operator starts it, once for each {@code jclouds.api-version}. Each
 * test has a customer of its own, so listings can be checked exactly.
 */
@ParameterizedClass(name = "jclouds.api-version {0}")
@ValueSource(strings = {"1.0", "2.0"})
class JcloudsDriveTest {

    private static final String ALL_USERS = "ffffffff-ffff-ffff-ffff-ffffffffffff";
    private static final long MIB = 1024 * 1024;
    private static final Duration IMAGING_TIMEOUT = Duration.ofMinutes(2);

    private static RunningSystem system;

    @Parameter
    String apiVersion;

    private Customer customer;
    private ElasticStackApi api;

    @BeforeAll
    static void startSystem() {
        system = RunningSystem.start("jclouds-drives");
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @BeforeEach
    void newCustomer() {
        customer = system.createCustomer();
        api = Jclouds.api(system.baseUri(), customer, apiVersion);
    }

    @AfterEach
    void closeClient() throws IOException {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void createWithEveryKeyReturnsThemAndInfoAgrees() {
        Customer reader = system.createCustomer();
        CreateDriveRequest create = new CreateDriveRequest.Builder()
                .name("all keys " + apiVersion)
                .size(4 * MIB)
                .claimType(ClaimType.SHARED)
                .readers(ImmutableSet.of(reader.uuid()))
                .tags(ImmutableSet.of("alpha", "beta"))
                .userMetadata(ImmutableMap.of("purpose", "integration test", "owner", "qa-team"))
                .encryptionCipher("aes-xts-plain")
                .build();

        DriveInfo created = api.createDrive(create);

        assertThat(created).as("create's reply, parsed by jclouds").isNotNull();
        assertThat(created.getUuid()).matches(RunningSystem.UUID);
        assertThat(created.getName()).isEqualTo("all keys " + apiVersion);
        assertThat(created.getSize()).isEqualTo(4 * MIB);
        assertThat(created.getClaimType()).isEqualTo(ClaimType.SHARED);
        assertThat(created.getReaders()).containsExactly(reader.uuid());
        assertThat(created.getTags()).containsExactlyInAnyOrder("alpha", "beta");
        assertThat(created.getUserMetadata())
                .containsExactlyInAnyOrderEntriesOf(Map.of("purpose", "integration test", "owner", "qa-team"));
        assertThat(created.getEncryptionCipher()).isEqualTo("aes-xts-plain");
        assertThat(created.getUser()).isEqualTo(customer.uuid());
        assertThat(created.getStatus()).isEqualTo(DriveStatus.ACTIVE);
        assertThat(created.getClaimed()).isEmpty();
        assertThat(created.getMetrics().getWriteBytes()).isZero();

        DriveInfo info = api.getDriveInfo(created.getUuid());
        assertThat(info).isNotNull();
        assertThat(info.getUuid()).isEqualTo(created.getUuid());
        assertThat(info.getName()).isEqualTo(created.getName());
        assertThat(info.getSize()).isEqualTo(created.getSize());
        assertThat(info.getClaimType()).isEqualTo(ClaimType.SHARED);
        assertThat(info.getReaders()).isEqualTo(created.getReaders());
        assertThat(info.getTags()).isEqualTo(created.getTags());
        assertThat(info.getUserMetadata()).isEqualTo(created.getUserMetadata());
        assertThat(info.getEncryptionCipher()).isEqualTo("aes-xts-plain");
        assertThat(info.getUser()).isEqualTo(customer.uuid());
    }

    @Test
    void createDefaultsToExclusiveAndEncryptedAndTakesCipherNone() {
        DriveInfo defaults = api.createDrive(new CreateDriveRequest.Builder().name("defaults").size(MIB).build());
        assertThat(defaults.getClaimType()).isEqualTo(ClaimType.EXCLUSIVE);
        assertThat(defaults.getEncryptionCipher()).isEqualTo("aes-xts-plain");
        assertThat(defaults.getSize()).isEqualTo(MIB);

        DriveInfo clear = api.createDrive(new CreateDriveRequest.Builder().name("clear").size(MIB)
                .encryptionCipher("none").build());
        assertThat(clear.getEncryptionCipher()).isEqualTo("none");
        assertThat(api.getDriveInfo(clear.getUuid()).getEncryptionCipher()).isEqualTo("none");
    }

    @Test
    void listAndListInfoShowExactlyTheCustomersDrives() throws IOException {
        DriveInfo a = api.createDrive(new CreateDriveRequest.Builder().name("list a").size(MIB).build());
        DriveInfo b = api.createDrive(new CreateDriveRequest.Builder().name("list b").size(2 * MIB).build());
        Customer other = system.createCustomer();
        DriveInfo foreign;
        try (ElasticStackApi otherApi = Jclouds.api(system.baseUri(), other, apiVersion)) {
            foreign = otherApi.createDrive(new CreateDriveRequest.Builder().name("not yours").size(MIB).build());
            assertThat(otherApi.listDrives()).containsExactly(foreign.getUuid());
        }

        assertThat(api.listDrives()).containsExactlyInAnyOrder(a.getUuid(), b.getUuid());
        assertThat(api.listDriveInfo())
                .extracting(DriveInfo::getUuid, DriveInfo::getName, DriveInfo::getSize)
                .containsExactlyInAnyOrder(
                        tuple(a.getUuid(), "list a", MIB),
                        tuple(b.getUuid(), "list b", 2 * MIB));
        // another customer's drive is reported exactly as a missing one
        assertThat(api.getDriveInfo(foreign.getUuid())).isNull();
        PlainHttp.Reply raw = system.http().get("/drives/" + foreign.getUuid() + "/info", PlainHttp.basic(customer));
        assertThat(raw.status()).as(raw.describe()).isEqualTo(404);
        assertThat(raw.header("X-Elastic-Error")).contains("missing");
    }

    @Test
    void setChangesWhatItSendsAndSizeZeroLeavesTheSize() {
        DriveInfo d = api.createDrive(new CreateDriveRequest.Builder().name("before").size(MIB)
                .tags(ImmutableSet.of("one")).build());
        byte[] data = TestBytes.random(11, 4096);
        api.writeDrive(d.getUuid(), Payloads.newByteArrayPayload(data));

        // no size given: jclouds sends "size 0", which means "unchanged"
        DriveInfo renamed = api.setDriveData(d.getUuid(), new DriveData.Builder()
                .name("after")
                .claimType(ClaimType.SHARED)
                .tags(ImmutableSet.of("two", "three"))
                .userMetadata(ImmutableMap.of("stage", "renamed"))
                .build());
        assertThat(renamed).isNotNull();
        assertThat(renamed.getUuid()).isEqualTo(d.getUuid());
        assertThat(renamed.getName()).isEqualTo("after");
        assertThat(renamed.getSize()).isEqualTo(MIB);
        assertThat(renamed.getClaimType()).isEqualTo(ClaimType.SHARED);
        assertThat(renamed.getTags()).containsExactlyInAnyOrder("two", "three");
        assertThat(renamed.getUserMetadata()).containsEntry("stage", "renamed");

        DriveInfo grown = api.setDriveData(d.getUuid(), new DriveData.Builder().name("after").size(2 * MIB).build());
        assertThat(grown.getSize()).isEqualTo(2 * MIB);

        DriveInfo info = api.getDriveInfo(d.getUuid());
        assertThat(info.getName()).isEqualTo("after");
        assertThat(info.getSize()).isEqualTo(2 * MIB);
        assertThat(info.getTags()).containsExactlyInAnyOrder("two", "three");
        // growing keeps the data
        assertThat(read(d.getUuid(), 0, data.length)).isEqualTo(data);
    }

    @Test
    void writeRawBytesThenReadThemBack() {
        long size = MIB;
        DriveInfo d = api.createDrive(new CreateDriveRequest.Builder().name("raw io").size(size).build());
        byte[] first = TestBytes.random(21, 65536);
        byte[] second = TestBytes.random(22, 32768);
        byte[] tail = TestBytes.random(23, 1000);

        api.writeDrive(d.getUuid(), Payloads.newByteArrayPayload(first));
        api.writeDrive(d.getUuid(), Payloads.newByteArrayPayload(second), 512 * 1024);
        api.writeDrive(d.getUuid(), Payloads.newByteArrayPayload(tail), size - tail.length);

        assertThat(read(d.getUuid(), 0, first.length)).isEqualTo(first);
        assertThat(read(d.getUuid(), 512 * 1024, second.length)).isEqualTo(second);
        // an offset is where the data lands in the drive: the first write is untouched around it
        assertThat(read(d.getUuid(), 1024, 2048)).isEqualTo(Arrays.copyOfRange(first, 1024, 3072));
        // reading past the end returns the bytes up to the end
        assertThat(read(d.getUuid(), size - tail.length, 4096)).isEqualTo(tail);
        assertThat(api.getDriveInfo(d.getUuid()).getMetrics().getWriteBytes())
                .as("write:bytes counts what was written")
                .isGreaterThanOrEqualTo(first.length + second.length + tail.length);
    }

    @Test
    void writeGzippedBytesThenReadThemBackDecompressed() {
        DriveInfo d = api.createDrive(new CreateDriveRequest.Builder().name("gzip io").size(MIB).build());
        byte[] raw = TestBytes.patterned(300_000);
        Payload gz = Payloads.newByteArrayPayload(TestBytes.gzip(raw));
        gz.getContentMetadata().setContentEncoding("gzip");

        api.writeDrive(d.getUuid(), gz, 4096);

        assertThat(read(d.getUuid(), 4096, raw.length)).isEqualTo(raw);
    }

    @Test
    void imageWithGunzipFromAStandardDriveThenReadTheImage() throws IOException {
        byte[] raw = TestBytes.patterned(768 * 1024);
        String standard = importStandard("IT gzipped image " + apiVersion, TestBytes.gzip(raw), ".img.gz", "disk");

        assertThat(api.listStandardDrives()).contains(standard);
        assertThat(api.listStandardDriveInfo()).filteredOn(s -> standard.equals(s.getUuid()))
                .singleElement().satisfies(s -> {
                    assertThat(s.getName()).isEqualTo("IT gzipped image " + apiVersion);
                    assertThat(s.getMedia()).isEqualTo(MediaType.DISK);
                    assertThat(s.getFormat()).isEqualTo(ImageConversionType.GZIP);
                    assertThat(s.getRawSize()).isEqualTo(raw.length);
                    assertThat(s.getClaimType()).isEqualTo(ClaimType.SHARED);
                    assertThat(s.getReaders()).containsExactly(ALL_USERS);
                });

        DriveInfo target = api.createDrive(new CreateDriveRequest.Builder().name("from library").size(MIB).build());
        api.imageDrive(standard, target.getUuid(), ImageConversionType.GUNZIP);
        Map<String, String> done = awaitImagingDone(target.getUuid());

        assertThat(done).doesNotContainKey("imaging:error");
        assertThat(done.get("size")).isEqualTo(Long.toString(MIB));
        assertThat(read(target.getUuid(), 0, raw.length)).isEqualTo(raw);
    }

    @Test
    void imageCopiesTheCustomersOwnDrive() {
        DriveInfo source = api.createDrive(new CreateDriveRequest.Builder().name("source").size(MIB).build());
        byte[] data = TestBytes.random(31, 256 * 1024);
        api.writeDrive(source.getUuid(), Payloads.newByteArrayPayload(data));
        DriveInfo copy = api.createDrive(new CreateDriveRequest.Builder().name("copy").size(MIB).build());

        api.imageDrive(source.getUuid(), copy.getUuid());
        Map<String, String> done = awaitImagingDone(copy.getUuid());

        assertThat(done).doesNotContainKey("imaging:error");
        assertThat(read(copy.getUuid(), 0, data.length)).isEqualTo(data);
        assertThat(read(source.getUuid(), 0, data.length)).as("the source is unchanged").isEqualTo(data);
    }

    @Test
    void standardDrivesListCdromsAndDisksWithTheirMedia() throws IOException {
        String iso = importStandard("IT cdrom " + apiVersion, TestBytes.random(41, 64 * 1024), ".iso", "cdrom");
        String disk = importStandard("IT disk " + apiVersion, TestBytes.gzip(TestBytes.patterned(64 * 1024)),
                ".img.gz", "disk");

        assertThat(api.listStandardDrives()).contains(iso, disk);
        Map<String, StandardDrive> byUuid = new HashMap<>();
        api.listStandardDriveInfo().forEach(s -> byUuid.put(s.getUuid(), s));
        assertThat(byUuid.get(iso)).isNotNull().satisfies(s -> {
            assertThat(s.getName()).isEqualTo("IT cdrom " + apiVersion);
            assertThat(s.getMedia()).isEqualTo(MediaType.CDROM);
            assertThat(s.getFormat()).isNotEqualTo(ImageConversionType.GZIP);
            assertThat(s.getSize()).isEqualTo(64 * 1024);
            assertThat(s.getReaders()).containsExactly(ALL_USERS);
        });
        assertThat(byUuid.get(disk)).isNotNull().satisfies(s -> {
            assertThat(s.getMedia()).isEqualTo(MediaType.DISK);
            assertThat(s.getFormat()).isEqualTo(ImageConversionType.GZIP);
            assertThat(s.getRawSize()).isEqualTo(64 * 1024);
        });
        // standard drives belong to nobody's account listing
        assertThat(api.listDrives()).doesNotContain(iso, disk);
    }

    @Test
    void destroyRemovesTheDrive() {
        DriveInfo keep = api.createDrive(new CreateDriveRequest.Builder().name("keep").size(MIB).build());
        DriveInfo gone = api.createDrive(new CreateDriveRequest.Builder().name("gone").size(MIB).build());

        api.destroyDrive(gone.getUuid());

        assertThat(api.getDriveInfo(gone.getUuid())).isNull();
        assertThat(api.listDrives()).containsExactly(keep.getUuid());
        PlainHttp.Reply again = system.http().post("/drives/" + gone.getUuid() + "/destroy",
                PlainHttp.basic(customer), (byte[]) null);
        assertThat(again.status()).as(again.describe()).isEqualTo(404);
        assertThat(again.header("X-Elastic-Error")).contains("missing");
    }

    @Test
    void aWrongKeyIsRefused() throws IOException {
        Customer impostor = new Customer(customer.uuid(), customer.key() + "x");
        try (ElasticStackApi wrong = Jclouds.api(system.baseUri(), impostor, apiVersion)) {
            assertThatThrownBy(wrong::listDrives).isInstanceOf(AuthorizationException.class);
        }
    }

    private byte[] read(String drive, long offset, long size) {
        Payload p = api.readDrive(drive, offset, size);
        assertThat(p).as("read %s at %d", drive, offset).isNotNull();
        try (InputStream in = p.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            p.release();
        }
    }

    /**
     * jclouds waits after an image request until the drive is no longer claimed (its compute
     * service, and the live test's prepareDrive, with its own DriveClaimed predicate): the imaging
     * is a claim, so that wait outlasts the copy.
     */
    @Test
    void jcloudsWaitsForTheImagingAsForAClaim() {
        DriveInfo source = api.createDrive(new CreateDriveRequest.Builder().name("big source").size(64 * MIB).build());
        byte[] tail = TestBytes.random(32, 256 * 1024);
        PlainHttp.Reply w = system.http().post("/drives/" + source.getUuid() + "/write/" + (64 * MIB - tail.length),
                PlainHttp.basic(customer), tail, "Content-Type", "application/octet-stream");
        assertThat(w.status()).as(w.describe()).isEqualTo(204);
        DriveInfo copy = api.createDrive(new CreateDriveRequest.Builder().name("copy").size(64 * MIB).build());

        api.imageDrive(source.getUuid(), copy.getUuid());
        DriveInfo parsed = api.getDriveInfo(copy.getUuid());
        PlainHttp.Reply later = system.http().get("/drives/" + copy.getUuid() + "/info", PlainHttp.basic(customer));
        if (PlainHttp.parseObject(later.text()).containsKey("imaging")) {
            // imaging then, so imaging when jclouds read it just before
            assertThat(parsed.getClaimed()).containsExactly("imaging:" + copy.getUuid());
        }
        boolean unclaimed = org.jclouds.util.Predicates2.retry(
                com.google.common.base.Predicates.not(new org.jclouds.elasticstack.predicates.DriveClaimed(api)),
                IMAGING_TIMEOUT.toMillis(), 200, java.util.concurrent.TimeUnit.MILLISECONDS).apply(copy);
        assertThat(unclaimed).as("jclouds saw the drive unclaimed within " + IMAGING_TIMEOUT).isTrue();
        PlainHttp.Reply after = system.http().get("/drives/" + copy.getUuid() + "/info", PlainHttp.basic(customer));
        assertThat(PlainHttp.parseObject(after.text())).doesNotContainKey("imaging").doesNotContainKey("imaging:error");
        assertThat(read(copy.getUuid(), 64 * MIB - tail.length, tail.length)).isEqualTo(tail);
    }

    /** jclouds does not parse {@code imaging}: poll the info in text until the key is gone. */
    private Map<String, String> awaitImagingDone(String drive) {
        Instant deadline = Instant.now().plus(IMAGING_TIMEOUT);
        Map<String, String> info = Map.of();
        while (Instant.now().isBefore(deadline)) {
            PlainHttp.Reply r = system.http().get("/drives/" + drive + "/info", PlainHttp.basic(customer));
            assertThat(r.status()).as(r.describe()).isEqualTo(200);
            info = PlainHttp.parseObject(r.text());
            if (!info.containsKey("imaging")) {
                return info;
            }
            RunningSystem.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("drive " + drive + " still imaging after " + IMAGING_TIMEOUT + ": " + info);
    }

    private String importStandard(String name, byte[] content, String suffix, String media) throws IOException {
        String uuid = UUID.randomUUID().toString();
        Path file = Files.createTempFile(system.dataDir().getParent(), "standard-", suffix);
        Files.write(file, content);
        // kept (under target/): the system may read the file after the call returns
        system.importStandardDrive(uuid, name, file, media);
        return uuid;
    }
}
