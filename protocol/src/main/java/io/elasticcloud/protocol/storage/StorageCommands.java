package io.elasticcloud.protocol.storage;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Done;
import io.elasticcloud.protocol.agent.NbdExport;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import java.util.List;

/**
 * Every command a storage node accepts. A storage node is one pool of volumes on one piece of
 * storage hardware; several may live in one process, each with its own node name on the bus.
 * Every command is idempotent: carrying it out twice (redelivery) leaves the same state and gives
 * the same reply as once.
 */
public final class StorageCommands {
    private StorageCommands() {
    }

    /** Marker for the commands of this file. */
    public sealed interface StorageCommand<R> extends Command<R>
            permits CreateVolume, ResizeVolume, DestroyVolume, DescribeVolume, ListVolumes,
            ImageVolume, CancelImaging, ImportVolume, DescribeNode, AttachVolume, DetachVolume, ListExports {
    }

    /**
     * Creates a sparse volume of {@code size} bytes. Allowed when the node has room for it
     * ({@code full} otherwise). If the volume exists with the same cipher, answers its info.
     */
    public record CreateVolume(String commandId, String volume, long size, Cipher cipher)
            implements StorageCommand<VolumeInfo> {
    }

    /** Grows a volume to {@code size} bytes; never shrinks ({@code usage}); same size is a no-op. */
    public record ResizeVolume(String commandId, String volume, long size)
            implements StorageCommand<VolumeInfo> {
    }

    /** Deletes a volume and its key. A volume that does not exist is already destroyed: {@link Done}. */
    public record DestroyVolume(String commandId, String volume) implements StorageCommand<Done> {
    }

    /** Answers one volume's info, {@code missing} if the node does not hold it. */
    public record DescribeVolume(String commandId, String volume) implements StorageCommand<VolumeInfo> {
    }

    /** Answers every volume the node holds (for reconciliation after restarts). */
    public record ListVolumes(String commandId) implements StorageCommand<VolumeList> {
    }

    /**
     * Starts copying {@code source} (possibly on another node) into {@code target} on this node,
     * converting as asked, and answers at once. Progress follows as {@link
     * io.elasticcloud.protocol.Events.ImagingProgress} events and ends with one {@link
     * io.elasticcloud.protocol.Events.ImagingFinished} for {@code job}. A second command for a
     * job already running or finished on this node is answered without starting it again.
     * Data that does not fit the target stops the copy with error type {@code full}; the target
     * keeps what was written.
     */
    public record ImageVolume(String commandId, String job, String target, VolumeRef source,
                              long sourceLength, Conversion conversion) implements StorageCommand<Done> {
    }

    /**
     * Ends imaging job {@code job} into {@code target}: waiting, it never starts; running, it
     * stops before it passes on another byte of its source (what it wrote stays). Its end is
     * announced as any job's ({@code ImagingFinished}, error type {@code missing}) and it never
     * runs again, also when sent again. Allowed always: a job this node never saw is noted as
     * ended; one that finished stays as it ended. Used when its requester may no longer read the
     * source (the source's owner took them off its readers, or destroyed it).
     */
    public record CancelImaging(String commandId, String job, String target) implements StorageCommand<Done> {
    }

    /**
     * Creates {@code volume} from a file on the storage node's own disk (the operator's library
     * import), copying the file's bytes as they are (a gzipped image stays gzipped).
     */
    public record ImportVolume(String commandId, String volume, String path, Cipher cipher)
            implements StorageCommand<VolumeInfo> {
    }

    /**
     * Answers how a guest on hypervisor host {@code host} reaches {@code volume}: its cipher and,
     * for an encrypted volume, its LUKS passphrase, and either its local path (the node is on
     * {@code host}, or {@code host} is null) or an NBD export the node starts for it (or already
     * runs), held by {@code holder} until a {@link DetachVolume} of the same holder. The API service
     * asks this when it starts a server, with the server's start as the holder, and hands the
     * answer to the node agent in the guest's spec and nowhere else. {@code missing} if the node
     * does not hold the volume, {@code failed} if its volumes cannot be attached to guests (a
     * backend with no local files) or no export can be started (no free port).
     *
     * @param host     the hypervisor host of the guest, as its agent names it ({@code HostInfo.host})
     * @param holder   who holds an export (the API's {@code SERVER/STARTMILLIS}); needed for an export
     * @param readOnly the guest must not write the volume: its export (one per volume and mode,
     *                 beside the writable one) refuses writes, and opens the file sharing it with
     *                 the writable export, so that neither locks the other out. Absent (a sender
     *                 older than read-only attachments): false.
     */
    public record AttachVolume(String commandId, String volume, String host, String holder, Boolean readOnly)
            implements StorageCommand<VolumeAttachment> {
        public AttachVolume {
            readOnly = Boolean.TRUE.equals(readOnly);
        }

        /** A writable attachment for a guest on {@code host}. */
        public AttachVolume(String commandId, String volume, String host, String holder) {
            this(commandId, volume, host, holder, false);
        }

        /** A local attachment (no host named): the path, as before exports existed. */
        public AttachVolume(String commandId, String volume) {
            this(commandId, volume, null, null, false);
        }
    }

    /**
     * Lets go of {@code holder}'s hold on the export of {@code volume}; the export stops when its
     * last holder lets go. A holder that holds nothing (or a volume not exported): {@link Done}.
     */
    public record DetachVolume(String commandId, String volume, String holder) implements StorageCommand<Done> {
    }

    /** Answers every NBD export the node runs, with its holders (for reconciliation). */
    public record ListExports(String commandId) implements StorageCommand<ExportList> {
    }

    /** One running export: the volume, where it listens, who holds it and whether it refuses writes. */
    public record ExportInfo(String volume, NbdExport nbd, List<String> holders, Boolean readOnly) {
        public ExportInfo {
            readOnly = Boolean.TRUE.equals(readOnly);
        }

        public ExportInfo(String volume, NbdExport nbd, List<String> holders) {
            this(volume, nbd, holders, false);
        }
    }

    /** The reply to {@link ListExports}. */
    public record ExportList(List<ExportInfo> exports) {
    }

    /** Answers the node's capacity and use. */
    public record DescribeNode(String commandId) implements StorageCommand<NodeStatus> {
    }

    /** The reply to {@link ListVolumes}. */
    public record VolumeList(List<VolumeInfo> volumes) {
    }
}
