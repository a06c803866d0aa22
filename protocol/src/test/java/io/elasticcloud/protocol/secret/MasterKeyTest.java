package io.elasticcloud.protocol.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
    @TempDir
    Path dir;

    @Test
    void createdPrivateKeptAndAnOpenOldFileClosed() throws Exception {
        Path file = dir.resolve("keys/master.key");
        MasterKey first = MasterKey.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        MasterKey again = MasterKey.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        byte[] sealed = first.seal("ctx", bytes("secret"));
        assertThat(again.open("ctx", sealed)).isEqualTo(bytes("secret"));
    }

    @Test
    void aBrokenKeyFileOrAForeignWrappedKeyKeepsItsCause() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.key"), "not base64 !!!\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MasterKey.loadOrCreate(file))
                .isInstanceOf(IOException.class).hasCauseInstanceOf(IllegalArgumentException.class);
        byte[] wrapped = MasterKey.random().wrap("v", new byte[32]);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MasterKey.random().unwrap("v", wrapped))
                .isInstanceOf(IOException.class).hasCauseInstanceOf(javax.crypto.AEADBadTagException.class);
    }

    @Test
    void anExistingDirectoryOfTheOperatorKeepsItsMode() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        MasterKey.loadOrCreate(dir.resolve("elastic.key"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void aSealOpensOnlyWithTheSameKeyAndContext() throws Exception {
        MasterKey key = MasterKey.random();
        byte[] sealed = key.seal("elastic-cloud vnc password v1", bytes("pw"));
        assertThat(sealed).hasSize(2 + 28);
        assertThat(key.open("elastic-cloud vnc password v1", sealed)).isEqualTo(bytes("pw"));
        assertThatThrownBy(() -> key.open("elastic-cloud volume key v1:x", sealed)).isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> MasterKey.random().open("elastic-cloud vnc password v1", sealed))
                .isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> key.open("ctx", new byte[5])).isInstanceOf(AEADBadTagException.class);
        // volume keys as before: wrap/unwrap bind the volume's name
        byte[] wrapped = key.wrap("vol-1", bytes("k"));
        assertThat(key.unwrap("vol-1", wrapped)).isEqualTo(bytes("k"));
        assertThatThrownBy(() -> key.unwrap("vol-2", wrapped)).isInstanceOf(IOException.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
