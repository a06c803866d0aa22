package io.elasticcloud.storage.volume;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.VolumeInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where one storage node keeps its volumes: the narrow driver interface behind a {@link
 * io.elasticcloud.storage.node.StorageNode}. Volume names are checked by {@link VolumeNames}.
 * Calls for different volumes may run concurrently; the node serialises changes to one volume.
 */
public interface VolumeBackend extends AutoCloseable {

    /**
     * Creates a volume of {@code size} bytes reading as zeros, or, when {@code content} is not
     * null, holding exactly {@code size} bytes read from it. The volume becomes visible (to
     * {@link #describe}, {@link #list}, {@link #open}) only once complete, so a crash leaves
     * either nothing or the whole volume.
     *
     * @throws io.elasticcloud.protocol.ElasticException {@code usage} if the name is taken
     */
    VolumeInfo create(String volume, long size, Cipher cipher, InputStream content) throws IOException;

    /** The volume's info, empty if it does not exist. */
    Optional<VolumeInfo> describe(String volume) throws IOException;

    /** Every volume, in name order. */
    List<VolumeInfo> list() throws IOException;

    /** The sum of the volumes' sizes, cheaper than {@link #list()} (no allocation figures). */
    long totalSize() throws IOException;

    /**
     * What the volumes take on disk: {@code promised}, what they may take at most (sizes and
     * overheads, {@link #footprint}); {@code unwritten}, the part of that not allocated yet, which
     * writes may still claim.
     */
    record Space(long promised, long unwritten) {
    }

    /** What the volumes take; a backend without a disk promises their sizes, none written. */
    default Space space() throws IOException {
        long total = totalSize();
        return new Space(total, total);
    }

    /**
     * Measures again what {@link #space()} reports of the volumes' allocation, for a backend that
     * keeps it rather than measuring at each call; costs a look at every volume, so it is called
     * by the heartbeat, outside any lock, never on a change's path.
     */
    default void measure() throws IOException {
    }

    /** What a volume of {@code size} bytes may take on disk at most, overheads included. */
    default long footprint(long size, Cipher cipher) {
        return size;
    }

    /** Bytes free to this service on the disk the volumes are on; {@link Long#MAX_VALUE} with no disk. */
    default long usableSpace() throws IOException {
        return Long.MAX_VALUE;
    }

    /**
     * Grows the volume to {@code size} bytes; the new bytes read as zeros and the old keep their
     * data. A size not larger than the current one changes nothing.
     *
     * @throws io.elasticcloud.protocol.ElasticException {@code missing} if the volume does not exist
     */
    VolumeInfo grow(String volume, long size) throws IOException;

    /**
     * Makes {@code target} read exactly as the first {@code length} bytes of {@code source} (the
     * whole source) followed by zeros up to its own size, without copying the bytes, when this
     * backend can: a thin snapshot, say. Afterwards the two volumes are independent: writes to
     * either do not show in the other and destroying the source keeps the target. Answers false,
     * having changed nothing, when it cannot (different ciphers, a target smaller than the source,
     * the target in use, either volume missing, no such capability at all): the caller then copies
     * the bytes, and reports what is wrong. The target keeps its size and cipher.
     */
    default boolean cloneInto(String source, String target, long length) throws IOException {
        return false;
    }

    /** Deletes the volume and its key; false if it did not exist. */
    boolean destroy(String volume) throws IOException;

    /**
     * Opens the volume for reading and writing at offsets. Cheap: keys are cached unlocked.
     *
     * @throws io.elasticcloud.protocol.ElasticException {@code missing} if the volume does not exist
     */
    VolumeHandle open(String volume) throws IOException;

    /**
     * How a guest on this host reaches the volume (its file, cipher and LUKS passphrase), for
     * {@code AttachVolume}. A backend without local files cannot attach: {@code failed}.
     */
    default VolumeAttachment attachment(String volume) throws IOException {
        describe(volume).orElseThrow(() -> ElasticException.missing("no volume %s", volume));
        throw ElasticException.failed("volume %s is not kept in a file a guest could use", volume);
    }

    /**
     * The file holding the volume's bytes as they are (a raw volume), for sending with
     * sendfile(2); empty when the bytes are transformed (encrypted) or not in a file.
     */
    default Optional<Path> plainFile(String volume) throws IOException {
        return Optional.empty();
    }

    @Override
    void close();
}
