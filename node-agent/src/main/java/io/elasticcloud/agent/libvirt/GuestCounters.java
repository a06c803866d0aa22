package io.elasticcloud.agent.libvirt;

import io.elasticcloud.protocol.agent.GuestInfo.DiskCounters;
import io.elasticcloud.protocol.agent.GuestInfo.NicCounters;
import java.util.ArrayList;
import java.util.List;
import org.libvirt.Domain;
import org.libvirt.DomainBlockStats;
import org.libvirt.DomainInterfaceStats;
import org.libvirt.LibvirtException;

/**
 * A running guest's I/O counters, per device key and per interface, as libvirt reports them. A
 * device libvirt cannot report (gone during a hot change) counts zero rather than failing the info.
 */
final class GuestCounters {
    private GuestCounters() {
    }

    static List<DiskCounters> disks(Domain domain, DomainMetadata meta) {
        List<DiskCounters> disks = new ArrayList<>();
        for (DomainMetadata.Disk disk : meta.disks()) {
            try {
                DomainBlockStats s = domain.blockStats(disk.target());
                disks.add(new DiskCounters(disk.key(), s.rd_bytes, s.rd_req, s.wr_bytes, s.wr_req));
            } catch (LibvirtException e) {
                disks.add(new DiskCounters(disk.key(), 0, 0, 0, 0));
            }
        }
        return disks;
    }

    static List<NicCounters> nics(Domain domain, DomainMetadata meta) {
        List<NicCounters> nics = new ArrayList<>();
        for (DomainMetadata.Nic nic : meta.nics()) {
            try {
                DomainInterfaceStats s = domain.interfaceStats(nic.mac());
                nics.add(new NicCounters(nic.index(), nic.mac(), s.rx_bytes, s.rx_packets, s.tx_bytes, s.tx_packets));
            } catch (LibvirtException e) {
                nics.add(new NicCounters(nic.index(), nic.mac(), 0, 0, 0, 0));
            }
        }
        return nics;
    }
}
