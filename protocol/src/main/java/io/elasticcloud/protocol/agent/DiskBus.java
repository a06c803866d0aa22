package io.elasticcloud.protocol.agent;

/** The bus a drive is attached on, as the API names devices. */
public enum DiskBus {
    /** {@code ide:B:U}: emulated IDE (PIIX), buses 0-1, units 0-1. */
    IDE("ide"),
    /** {@code scsi:0:U}: a virtio-scsi controller, units 0-7. */
    SCSI("scsi"),
    /** {@code block:N}: virtio-blk, 0-7. */
    BLOCK("block");

    private final String apiName;

    DiskBus(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }
}
