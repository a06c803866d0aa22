package io.elasticcloud.storage.lvm;

import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.storage.volume.VolumeNames;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * How a volume is named and described in LVM: everything the storage host needs to know about a
 * volume lives in its logical volume's metadata, so a storage host is whole on its own and a
 * crash leaves either a volume or an LV marked unfinished.
 *
 * <ul>
 *   <li>LV {@code ev-NAME}, with every {@code _} of the volume name as {@code +} (LVM reserves LV
 *       names with {@code _tdata}, {@code _tmeta} and the like; {@code +} is not in a volume name,
 *       so the mapping is one to one);</li>
 *   <li>the opened dm-crypt device {@code /dev/mapper/ec-NAME};</li>
 *   <li>tags {@code elastic-size:BYTES} (the usable size: an LV is whole extents),
 *       {@code elastic-cipher:none|aes-xts-plain}, {@code elastic-key:BASE64} (the LUKS
 *       passphrase wrapped by the storage service's master key: a copy of the disks alone opens
 *       nothing), {@code elastic-partial} while the volume is being made and {@code elastic-shared}
 *       once it may share blocks with a thin snapshot ({@link ThinClones});</li>
 *   <li>LV {@code ev-NAME.clone}: a thin snapshot being made into volume NAME.</li>
 * </ul>
 */
public final class LvmNames {
    static final String LV_PREFIX = "ev-";
    static final String CRYPT_PREFIX = "ec-";
    static final String SIZE_TAG = "elastic-size:";
    static final String CIPHER_TAG = "elastic-cipher:";
    static final String KEY_TAG = "elastic-key:";
    static final String PARTIAL_TAG = "elastic-partial";
    /** On an LV that may share blocks with another (a thin snapshot, or the origin of one). */
    static final String SHARED_TAG = "elastic-shared";
    /** The suffix of the LV a thin snapshot is made in before it replaces the volume's LV. */
    static final String CLONE_SUFFIX = ".clone";
    /** LVM's limit on an LV name is 127 characters, the dm name {@code VG-LV} shares it. */
    private static final int LONGEST_VOLUME = 64;

    private LvmNames() {
    }

    /** The LV of {@code volume} (checked by {@link VolumeNames}, at most 64 characters). */
    public static String lv(String volume) {
        VolumeNames.check(volume);
        if (volume.length() > LONGEST_VOLUME) {
            throw io.elasticcloud.protocol.ElasticException.usage("volume name %s is too long for LVM", volume);
        }
        return LV_PREFIX + volume.replace('_', '+');
    }

    /** The volume an LV holds; empty for an LV that is not one of ours. */
    public static Optional<String> volume(String lv) {
        if (lv == null || !lv.startsWith(LV_PREFIX)) {
            return Optional.empty();
        }
        String volume = lv.substring(LV_PREFIX.length()).replace('+', '_');
        try {
            return lv(volume).equals(lv) ? Optional.of(volume) : Optional.empty();
        } catch (RuntimeException notOurs) {
            return Optional.empty();
        }
    }

    /**
     * The LV a thin snapshot for {@code volume} is made in before it takes the volume's place:
     * {@code ev-NAME.clone}, never a volume's LV ({@code .} is not in a volume name).
     */
    static String cloneLv(String volume) {
        return lv(volume) + CLONE_SUFFIX;
    }

    /** The volume a {@link #cloneLv} is made for; empty for any other LV. */
    static Optional<String> clonedVolume(String lv) {
        return lv != null && lv.endsWith(CLONE_SUFFIX) ? volume(lv.substring(0, lv.length() - CLONE_SUFFIX.length()))
                : Optional.empty();
    }

    /** Whether the LV may share blocks with another: writes to it may take new blocks wherever they land. */
    static boolean shared(List<String> tags) {
        return tags.contains(SHARED_TAG);
    }

    /** The dm-crypt mapping of an encrypted volume, under {@code /dev/mapper}. */
    public static String crypt(String volume) {
        return CRYPT_PREFIX + lv(volume).substring(LV_PREFIX.length());
    }

    /** What a volume's LV is tagged with when it is made. */
    static List<String> tags(long size, Cipher cipher, byte[] wrappedKey) {
        List<String> tags = new ArrayList<>(List.of(PARTIAL_TAG, SIZE_TAG + size, CIPHER_TAG + cipher.apiName()));
        if (wrappedKey != null) {
            tags.add(KEY_TAG + Base64.getEncoder().encodeToString(wrappedKey));
        }
        return tags;
    }

    /**
     * What an LV's tags say about its volume; empty when they do not describe a finished volume
     * (no size or cipher, an unknown cipher, an encrypted one without its key, still partial).
     */
    static Optional<Described> describe(List<String> tags) {
        Long size = null;
        Cipher cipher = null;
        byte[] key = null;
        for (String tag : tags) {
            try {
                if (tag.equals(PARTIAL_TAG)) {
                    return Optional.empty();
                } else if (tag.startsWith(SIZE_TAG)) {
                    size = Long.parseLong(tag.substring(SIZE_TAG.length()));
                } else if (tag.startsWith(CIPHER_TAG)) {
                    cipher = Cipher.fromApiName(tag.substring(CIPHER_TAG.length()));
                } else if (tag.startsWith(KEY_TAG)) {
                    key = Base64.getDecoder().decode(tag.substring(KEY_TAG.length()));
                }
            } catch (IllegalArgumentException malformed) {
                return Optional.empty();
            }
        }
        if (size == null || size < 0 || cipher == null || (cipher != Cipher.NONE && key == null)) {
            return Optional.empty();
        }
        return Optional.of(new Described(size, cipher, cipher == Cipher.NONE ? null : key));
    }

    /** A finished volume as its tags describe it; {@code wrappedKey} null for cipher none. */
    record Described(long size, Cipher cipher, byte[] wrappedKey) {
    }
}
