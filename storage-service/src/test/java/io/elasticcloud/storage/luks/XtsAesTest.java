package io.elasticcloud.storage.luks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class XtsAesTest {

    /** IEEE P1619/D16 XTS-AES-128 test vector 4: a 512-byte data unit, sequence number 0. */
    @Test
    void matchesIeee1619Vector4() {
        byte[] key = HexFormat.of().parseHex("2718281828459045235360287471352631415926535897932384626433832795");
        byte[] data = new byte[512];
        for (int i = 0; i < 512; i++) {
            data[i] = (byte) i;
        }
        new XtsAes(key).encrypt(data, 0, 512, 0);
        assertThat(HexFormat.of().formatHex(data, 0, 32))
                .isEqualTo("27a7479befa1d476489f308cd4cfa6e2a96e4bbe3208ff25287dd3819616e89c");
    }

    @Test
    void decryptInvertsEncryptAcrossBatchesAndSectorNumbers() {
        byte[] key = new byte[64];
        new Random(1).nextBytes(key);
        byte[] plain = new byte[300 * 512];
        new Random(2).nextBytes(plain);
        byte[] buf = plain.clone();
        XtsAes xts = new XtsAes(key);
        xts.encrypt(buf, 0, buf.length, 1L << 40);
        assertThat(buf).isNotEqualTo(plain);
        xts.decrypt(buf, 0, buf.length, 1L << 40);
        assertThat(buf).isEqualTo(plain);
    }

    @Test
    void sectorNumberChangesCiphertext() {
        byte[] key = new byte[64];
        byte[] a = new byte[512];
        byte[] b = new byte[512];
        XtsAes xts = new XtsAes(key);
        xts.encrypt(a, 0, 512, 7);
        xts.encrypt(b, 0, 512, 8);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void allZeroCiphertextSectorsReadAsZerosOthersDecrypt() {
        byte[] key = new byte[64];
        new Random(3).nextBytes(key);
        XtsAes xts = new XtsAes(key);
        byte[] plain = new byte[3 * 512];
        new Random(4).nextBytes(plain);
        byte[] buf = plain.clone();
        xts.encrypt(buf, 0, buf.length, 10);
        java.util.Arrays.fill(buf, 512, 1024, (byte) 0);
        xts.decryptKeepingHoles(buf, 0, buf.length, 10);
        assertThat(java.util.Arrays.copyOfRange(buf, 0, 512)).isEqualTo(java.util.Arrays.copyOfRange(plain, 0, 512));
        assertThat(java.util.Arrays.copyOfRange(buf, 512, 1024)).containsOnly((byte) 0);
        assertThat(java.util.Arrays.copyOfRange(buf, 1024, 1536)).isEqualTo(java.util.Arrays.copyOfRange(plain, 1024, 1536));
    }
}
