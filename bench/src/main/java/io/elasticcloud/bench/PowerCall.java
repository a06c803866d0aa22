package io.elasticcloud.bench;

/**
 * The power calls benchmark (a) times, each through the API and as libvirt's own call on the same
 * domain XML: what the customer waits for against what libvirt itself needs for the same work.
 */
enum PowerCall {
    CREATE("POST /servers/create with start, to running", "virsh create of the same XML"),
    START("POST /servers/S/start, to running", "virsh create of the same XML"),
    STOP("POST /servers/S/stop (power cut), to gone", "virsh destroy"),
    SHUTDOWN("POST /servers/S/shutdown to info status stopped", "virsh shutdown to domain gone"),
    DESTROY("POST /servers/S/destroy, to gone", "virsh destroy");

    final String api;
    final String libvirt;

    PowerCall(String api, String libvirt) {
        this.api = api;
        this.libvirt = libvirt;
    }
}
