package io.elasticcloud.protocol.agent;

/** The emulated network card (API {@code nic:N:model}). */
public enum NicModel {
    E1000("e1000"),
    RTL8139("rtl8139"),
    VIRTIO("virtio");

    private final String apiName;

    NicModel(String apiName) {
        this.apiName = apiName;
    }

    /** Also the model name libvirt and qemu use. */
    public String apiName() {
        return apiName;
    }
}
