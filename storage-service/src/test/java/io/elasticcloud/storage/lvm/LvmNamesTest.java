package io.elasticcloud.storage.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.storage.Cipher;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LvmNamesTest {

    @ParameterizedTest
    @CsvSource({
            "6acf8a17-0c1e-4b7e-9d4e-1f2a3b4c5d6e, ev-6acf8a17-0c1e-4b7e-9d4e-1f2a3b4c5d6e, ec-6acf8a17-0c1e-4b7e-9d4e-1f2a3b4c5d6e",
            "data, ev-data, ec-data",
            "x_tdata, ev-x+tdata, ec-x+tdata",
    })
    void volumesMapToLvAndCryptNamesAndBack(String volume, String lv, String crypt) {
        assertThat(LvmNames.lv(volume)).isEqualTo(lv);
        assertThat(LvmNames.crypt(volume)).isEqualTo(crypt);
        assertThat(LvmNames.volume(lv)).contains(volume);
    }

    @ParameterizedTest
    @CsvSource({"thinpool", "thinpool_tdata", "lvol0", "ev-", "ev-a/b", "ev-.hidden", "ev-a_b"})
    void otherLvsAreNotVolumes(String lv) {
        assertThat(LvmNames.volume(lv)).isEmpty();
    }

    @Test
    void badOrLongNamesAreRefused() {
        assertThatThrownBy(() -> LvmNames.lv("../x")).isInstanceOf(ElasticException.class);
        assertThatThrownBy(() -> LvmNames.lv("a".repeat(65))).isInstanceOf(ElasticException.class);
        assertThat(LvmNames.lv("a".repeat(64))).hasSize(67);
    }

    @Test
    void tagsDescribeAFinishedVolumeOnly() {
        byte[] key = {1, 2, (byte) 0xfb, (byte) 0xff};
        List<String> tags = LvmNames.tags(12_345, Cipher.AES_XTS_PLAIN, key);
        assertThat(tags).containsExactly("elastic-partial", "elastic-size:12345", "elastic-cipher:aes-xts-plain",
                "elastic-key:AQL7/w==");
        assertThat(LvmNames.describe(tags)).as("still partial").isEmpty();
        Optional<LvmNames.Described> done = LvmNames.describe(tags.subList(1, tags.size()));
        assertThat(done).map(LvmNames.Described::size).contains(12_345L);
        assertThat(done).map(LvmNames.Described::cipher).contains(Cipher.AES_XTS_PLAIN);
        assertThat(done.orElseThrow().wrappedKey()).isEqualTo(key);
        assertThat(LvmNames.describe(LvmNames.tags(7, Cipher.NONE, null).subList(1, 3)))
                .map(LvmNames.Described::cipher).contains(Cipher.NONE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "elastic-cipher:none",
            "elastic-size:10",
            "elastic-size:10,elastic-cipher:aes-xts-plain",
            "elastic-size:ten,elastic-cipher:none",
            "elastic-size:-1,elastic-cipher:none",
            "elastic-size:10,elastic-cipher:rot13",
            "elastic-size:10,elastic-cipher:aes-xts-plain,elastic-key:!!",
    })
    void incompleteOrMalformedTagsDescribeNothing(String tags) {
        assertThat(LvmNames.describe(List.of(tags.split(",")))).isEmpty();
    }
}
