package io.elasticcloud.storage.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.storage.Cipher;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * What a guest is given for an LVM volume, on {@link FakeLvm}: the LV's device as it is kept (the
 * LUKS header and ciphertext; no dm-crypt mapping is opened for it), the cipher and the passphrase
 * that opens the LUKS header, the one cryptsetup was given.
 */
class LvmAttachmentTest {
    private final FakeLvm lvm = new FakeLvm();
    private final MasterKey masterKey = MasterKey.random();

    private final FakeLvm.NoDevices devices = new FakeLvm.NoDevices();

    private LvmVolumeBackend backend() throws IOException {
        return lvm.backend(devices, masterKey);
    }

    @Test
    void anEncryptedVolumeIsItsLvWithThePassphraseCryptsetupFormattedItWith() throws IOException {
        LvmVolumeBackend backend = backend();
        backend.create("sealed", 1 << 20, Cipher.AES_XTS_PLAIN, null);
        String passphrase = lvm.host.lastCall("cryptsetup", "luksFormat").stdinText();
        lvm.host.clearCalls();

        VolumeAttachment attachment = backend.attachment("sealed");

        assertThat(attachment.volume()).isEqualTo("sealed");
        assertThat(attachment.path()).isEqualTo("/dev/vg/ev-sealed");
        assertThat(attachment.cipher()).isEqualTo(Cipher.AES_XTS_PLAIN);
        assertThat(attachment.passphrase()).isEqualTo(passphrase);
        assertThat(attachment.nbd()).isNull();
        assertThat(attachment.toString()).doesNotContain(passphrase);
        assertThat(lvm.host.calls("cryptsetup")).as("the guest decrypts: no mapping is opened").isEmpty();
    }

    @Test
    void aRawVolumeHasNoPassphraseAndAMissingOneIsMissing() throws IOException {
        LvmVolumeBackend backend = backend();
        backend.create("plain", 4096, Cipher.NONE, null);

        assertThat(backend.attachment("plain"))
                .isEqualTo(new VolumeAttachment("plain", "/dev/vg/ev-plain", Cipher.NONE, null));
        assertThatThrownBy(() -> backend.attachment("nope")).isInstanceOf(ElasticException.class)
                .extracting(e -> ((ElasticException) e).type()).isEqualTo(ErrorType.MISSING);
    }

    @Test
    void aGuestsExportServesTheVolumesSectorsAfterTheHeaderNotTheWholeLv() throws IOException {
        LvmVolumeBackend backend = backend();
        backend.create("sealed", 1000, Cipher.AES_XTS_PLAIN, null);
        backend.create("plain", 1000, Cipher.NONE, null);

        assertThat(backend.guestBytes("sealed")).isEqualTo(Cryptsetup.PAYLOAD_OFFSET + 1024);
        assertThat(backend.guestBytes("plain")).isEqualTo(1024);
    }
}
