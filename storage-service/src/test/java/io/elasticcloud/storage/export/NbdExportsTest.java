package io.elasticcloud.storage.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.agent.NbdExport;
import io.elasticcloud.protocol.storage.StorageCommands.ExportInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bookkeeping of exports on fake daemons: holders, ports, stops and what a restart finds. */
class NbdExportsTest {
    @TempDir
    Path dir;
    Path state;
    Path volumeA;
    Path volumeB;
    FakeDaemons daemons = new FakeDaemons();

    @BeforeEach
    void volumes() throws IOException {
        state = dir.resolve("exports");
        volumeA = Files.writeString(dir.resolve("a.raw"), "a");
        volumeB = Files.writeString(dir.resolve("b.luks"), "b");
    }

    NbdExports exports(int first, int last) throws IOException {
        return new NbdExports(new NbdExports.Settings("192.0.2.20", first, last, state), daemons);
    }

    @Test
    void withTlsEveryDaemonGetsTheDirectoryAndTheAnswerSaysSo() throws IOException {
        Path tls = dir.resolve("tls");
        NbdExports exports = new NbdExports(new NbdExports.Settings("192.0.2.20", 10809, 10810, state, tls), daemons);

        assertThat(exports.attach("pool-0", "a", volumeA, "s1/100", false))
                .isEqualTo(new NbdExport("192.0.2.20", 10809, "a", true));
        assertThat(exports.attach("pool-0", "a", volumeA, "s1/100", true).tls()).isTrue();
        assertThat(daemons.started).extracting(ExportDaemons.Launch::tlsDir).containsOnly(tls.toString());
        assertThat(exports.list("pool-0")).extracting(info -> info.nbd().tls()).containsOnly(true);
        NbdExports plain = new NbdExports(new NbdExports.Settings("192.0.2.20", 10811, 10812, dir.resolve("plain")), daemons);
        assertThat(plain.attach("pool-1", "b", volumeB, "s1/100", false).tls()).isFalse();
        assertThat(daemons.started).hasSize(3);
        assertThat(daemons.started.get(2).tlsDir()).isNull();
    }

    @Test
    void aRestartNeverAdoptsADaemonThatServesOtherwiseThanTheTlsSetting() throws IOException {
        Path tls = dir.resolve("tls");
        NbdExport plain = exports(10809, 10819).attach("pool-0", "a", volumeA, "s1/100", false);
        long plainPid = daemons.running.keySet().iterator().next();

        NbdExports secured = new NbdExports(new NbdExports.Settings("192.0.2.20", 10809, 10819, state, tls), daemons);
        assertThat(daemons.running).doesNotContainKey(plainPid).hasSize(1);
        assertThat(daemons.started.get(1).tlsDir()).isEqualTo(tls.toString());
        assertThat(secured.list("pool-0")).singleElement().satisfies(info -> {
            assertThat(info.nbd()).isEqualTo(new NbdExport("192.0.2.20", plain.port(), "a", true));
            assertThat(info.holders()).containsExactly("s1/100");
        });

        long tlsPid = daemons.running.keySet().iterator().next();
        new NbdExports(new NbdExports.Settings("192.0.2.20", 10809, 10819, state, tls), daemons);
        assertThat(daemons.running).containsOnlyKeys(tlsPid);
        assertThat(daemons.started).hasSize(2);
    }

    @Test
    void oneDaemonPerVolumeHeldUntilItsLastHolderLetsGo() throws IOException {
        NbdExports exports = exports(10809, 10810);

        NbdExport a = exports.attach("pool-0", "a", volumeA, "s1/100", false);
        assertThat(a).isEqualTo(new NbdExport("192.0.2.20", 10809, "a"));
        assertThat(exports.attach("pool-0", "a", volumeA, "s2/200", false)).isEqualTo(a);
        assertThat(exports.attach("pool-0", "a", volumeA, "s2/200", false)).isEqualTo(a);
        assertThat(daemons.started).hasSize(1);
        assertThat(daemons.started.get(0).file()).isEqualTo(volumeA);
        assertThat(daemons.started.get(0).name()).isEqualTo("a");
        assertThat(exports.list("pool-0")).containsExactly(new ExportInfo("a", a, List.of("s1/100", "s2/200")));
        assertThat(exports.list("pool-1")).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");

        exports.detach("pool-0", "a", "s1/100");
        exports.detach("pool-0", "a", "nobody");
        assertThat(daemons.running).hasSize(1);
        exports.detach("pool-0", "a", "s2/200");
        assertThat(daemons.running).isEmpty();
        assertThat(exports.list("pool-0")).isEmpty();
        try (var files = Files.list(state)) {
            assertThat(files).isEmpty();
        }
        exports.detach("pool-0", "a", "s2/200");
    }

    @Test
    void portsComeFromTheRangeAndOneTakenByAnotherProgramIsSkipped() throws IOException {
        daemons.portsTakenElsewhere.add(10809);
        NbdExports exports = exports(10809, 10811);

        assertThat(exports.attach("pool-0", "a", volumeA, "s1/1", false).port()).isEqualTo(10810);
        assertThat(exports.attach("pool-1", "b", volumeB, "s1/1", false).port()).isEqualTo(10811);
        assertThatThrownBy(() -> exports.attach("pool-1", "c", volumeB, "s1/1", false))
                .isInstanceOf(ElasticException.class).hasMessageContaining("no free NBD port")
                .extracting(e -> ((ElasticException) e).type()).isEqualTo(ErrorType.FAILED);

        exports.stop("pool-0", "a");
        daemons.portsTakenElsewhere.clear();
        assertThat(exports.attach("pool-1", "c", volumeB, "s1/1", false).port()).isEqualTo(10809);
        assertThat(daemons.ports()).isEqualTo(2);
    }

    @Test
    void aDaemonThatDoesNotStartIsAFailureAndLeavesNoRecord() throws IOException {
        daemons.broken = true;
        NbdExports exports = exports(10809, 10820);

        assertThatThrownBy(() -> exports.attach("pool-0", "a", volumeA, "s1/1", false))
                .isInstanceOf(ElasticException.class).hasMessageContaining("export daemon did not start");
        assertThat(exports.list("pool-0")).isEmpty();
        try (var files = Files.list(state)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void holdersMustBeTokens() throws IOException {
        NbdExports exports = exports(10809, 10809);
        for (String bad : new String[] {null, "", "a,b", "a b", "x\ny", "-lead"}) {
            assertThatThrownBy(() -> exports.attach("pool-0", "a", volumeA, bad, false)).as(String.valueOf(bad))
                    .isInstanceOf(ElasticException.class)
                    .extracting(e -> ((ElasticException) e).type()).isEqualTo(ErrorType.USAGE);
        }
        assertThat(daemons.started).isEmpty();
    }

    @Test
    void aRestartAdoptsWhatRunsRestartsWhatDiedAndStopsWhatNoRecordNames() throws IOException {
        NbdExports first = exports(10809, 10819);
        NbdExport a = first.attach("pool-0", "a", volumeA, "s1/1", false);
        NbdExport b = first.attach("pool-0", "b", volumeB, "s2/2", false);
        NbdExport gone = first.attach("pool-0", "gone", dir.resolve("gone.raw"), "s3/3", false);
        first.close();
        assertThat(daemons.running).hasSize(3);

        long pidOfB = daemons.running.entrySet().stream().filter(e -> e.getValue().name().equals("b"))
                .findFirst().orElseThrow().getKey();
        long pidOfGone = daemons.running.entrySet().stream().filter(e -> e.getValue().name().equals("gone"))
                .findFirst().orElseThrow().getKey();
        daemons.stop(pidOfB);        // b's daemon died while the service was down
        daemons.stop(pidOfGone);     // and so did gone's, whose volume file does not exist
        long stray = daemons.stray(state);

        NbdExports second = exports(10809, 10819);
        assertThat(second.list("pool-0")).extracting(ExportInfo::volume, ExportInfo::nbd, ExportInfo::holders)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", a, List.of("s1/1")),
                        org.assertj.core.groups.Tuple.tuple("b", b, List.of("s2/2")));
        assertThat(gone.port()).isNotIn(a.port(), b.port());
        assertThat(daemons.running).doesNotContainKey(stray);
        assertThat(daemons.running.values()).extracting(ExportDaemons.Launch::name).containsExactlyInAnyOrder("a", "b");
        assertThat(daemons.started).extracting(ExportDaemons.Launch::name).containsExactly("a", "b", "gone", "b");

        second.stopAll();
        assertThat(daemons.running).isEmpty();
        assertThat(Set.copyOf(second.list("pool-0"))).isEmpty();
    }

    @Test
    void anExportWhoseDaemonDiedIsStartedAgainOnItsPortWhenAttached() throws IOException {
        NbdExports exports = exports(10809, 10819);
        NbdExport a = exports.attach("pool-0", "a", volumeA, "s1/1", false);
        daemons.running.clear();

        assertThat(exports.attach("pool-0", "a", volumeA, "s2/2", false)).isEqualTo(a);
        assertThat(daemons.running).hasSize(1);
        assertThat(exports.list("pool-0").get(0).holders()).containsExactly("s1/1", "s2/2");
    }

    @Test
    void reviveStartsDeadDaemonsAgainOnTheirPortsWithTheirHoldersAndLeavesLiveOnes() throws IOException {
        NbdExports exports = exports(10809, 10819);
        NbdExport a = exports.attach("pool-0", "a", volumeA, "s1/1", false);
        NbdExport aRo = exports.attach("pool-0", "a", volumeA, "s2/2", true);
        NbdExport b = exports.attach("pool-0", "b", volumeB, "s1/1", false);
        daemons.running.values().removeIf(l -> !l.name().equals("b")); // the storage host lost a's daemons

        assertThat(exports.revive()).isEqualTo(2);

        assertThat(daemons.started).hasSize(5);
        assertThat(exports.list("pool-0")).containsExactlyInAnyOrder(new ExportInfo("a", a, List.of("s1/1"), false),
                new ExportInfo("a", aRo, List.of("s2/2"), true), new ExportInfo("b", b, List.of("s1/1"), false));
        assertThat(exports.revive()).isZero();
        assertThat(daemons.started).hasSize(5);
    }

    @Test
    void anExportThatDoesNotComeBackKeepsItsRecordAndHoldersUntilItDoes() throws IOException {
        NbdExports exports = exports(10809, 10819);
        NbdExport a = exports.attach("pool-0", "a", volumeA, "s1/1", false);
        daemons.running.clear();
        daemons.broken = true;

        assertThat(exports.revive()).isZero();
        assertThat(exports.list("pool-0")).containsExactly(new ExportInfo("a", a, List.of("s1/1"), false));
        assertThat(ExportRecord.read(state.resolve("pool-0.a.export")).holders()).containsExactly("s1/1");

        daemons.broken = false;
        assertThat(exports.revive()).isEqualTo(1);
        assertThat(daemons.running.values()).extracting(ExportDaemons.Launch::port).containsExactly(a.port());
    }

    @Test
    void reviveLooksOnceAtTheStorageHostAndAnUnreachableOneIsTriedAgainLater() throws IOException {
        int[] looks = {0};
        boolean[] unreachable = {false};
        InMemoryExportDaemons counting = new InMemoryExportDaemons() {
            @Override
            public java.util.Set<Long> running(Path directory) {
                looks[0]++;
                if (unreachable[0]) {
                    throw new IllegalStateException("the storage host does not answer");
                }
                return super.running(directory);
            }
        };
        NbdExports exports = new NbdExports(new NbdExports.Settings("127.0.0.1", 10809, 10819, state), counting);
        looks[0] = 0;
        assertThat(exports.revive()).as("no exports: nothing to ask").isZero();
        assertThat(looks[0]).isZero();
        exports.attach("pool-0", "a", volumeA, "s1/1", false);
        exports.attach("pool-0", "b", volumeB, "s1/1", false);
        counting.running.clear();
        unreachable[0] = true;

        assertThat(exports.revive()).isZero();
        assertThat(exports.list("pool-0")).hasSize(2);
        unreachable[0] = false;
        assertThat(exports.revive()).isEqualTo(2);
        assertThat(looks[0]).isEqualTo(2);
    }
}
