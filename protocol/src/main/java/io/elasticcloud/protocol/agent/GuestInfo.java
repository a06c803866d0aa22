package io.elasticcloud.protocol.agent;

import java.util.List;

/**
 * A guest as its host runs it.
 *
 * @param server    the server UUID
 * @param name      the customer's name for it
 * @param state     what it is doing
 * @param vcpus     virtual processors
 * @param sockets   virtual sockets
 * @param cores     cores per socket
 * @param cpuMhz    its CPU quota in core MHz
 * @param memoryMb  its memory in MiB
 * @param cpuTimeNs CPU time it used, in nanoseconds
 * @param disks     per-drive I/O counters, by device key
 * @param nics      per-interface counters
 * @param vncPort   the TCP port of its VNC console, 0 for none
 */
public record GuestInfo(String server, String name, GuestState state, int vcpus, int sockets, int cores,
                        int cpuMhz, int memoryMb, long cpuTimeNs, List<DiskCounters> disks,
                        List<NicCounters> nics, int vncPort) {

    /** I/O of one drive since the guest started (API {@code ide:0:0:read:bytes}…). */
    public record DiskCounters(String device, long readBytes, long readRequests, long writeBytes,
                               long writeRequests) {
    }

    /** Traffic of one interface since the guest started (API {@code nic:0:rx:bytes}…). */
    public record NicCounters(int index, String mac, long rxBytes, long rxPackets, long txBytes,
                              long txPackets) {
    }
}
