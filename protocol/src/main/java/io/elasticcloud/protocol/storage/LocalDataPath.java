package io.elasticcloud.protocol.storage;

/** The data path to the storage nodes of this process: the ones it {@link #serves}. */
public interface LocalDataPath extends VolumeDataPath {

    /** Whether {@code node} is a storage node of this process. */
    boolean serves(String node);
}
