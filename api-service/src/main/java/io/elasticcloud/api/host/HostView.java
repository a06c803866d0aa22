package io.elasticcloud.api.host;

import io.elasticcloud.protocol.agent.HostInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A hypervisor host as admins see it: its latest report, what the scheduler has given to servers
 * there (counted from the database, as placement counts it) and whether it is in maintenance.
 *
 * @param reported        the latest heartbeat's report, or null for a host in maintenance that has
 *                        not reported since this service started
 * @param lastHeartbeat   when that report arrived, or null
 * @param cpuUsed         core MHz given to the servers active or paused there
 * @param memoryUsedMb    MB given to them
 * @param maintenance     the maintenance row, or null when the host takes new servers
 */
public record HostView(String node, boolean reachable, HostInfo reported, Instant lastHeartbeat, long cpuUsed,
                       long memoryUsedMb, HostMaintenance maintenance) {

    public boolean inMaintenance() {
        return maintenance != null;
    }

    /** Core MHz the host offers: cores × MHz of one core. */
    public long cpuCapacity() {
        return reported == null ? 0 : HostPlacement.capacityCpu(reported);
    }

    public long cpuFree() {
        return cpuCapacity() - cpuUsed;
    }

    public long memoryCapacityMb() {
        return reported == null ? 0 : reported.memoryMb();
    }

    public long memoryFreeMb() {
        return memoryCapacityMb() - memoryUsedMb;
    }

    /** Guests the host reported running. */
    public int guests() {
        return reported == null ? 0 : reported.guests();
    }

    /** As {@code /actuator/hosts} and health show it (JSON). */
    public Map<String, Object> describe() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("node", node);
        view.put("reachable", reachable);
        if (lastHeartbeat != null) {
            view.put("lastHeartbeat", lastHeartbeat.toString());
        }
        if (reported != null) {
            view.put("domainType", reported.domainType());
            view.put("cores", reported.cores());
            view.put("coreMhz", reported.mhz());
        }
        view.put("cpuCapacityMhz", cpuCapacity());
        view.put("cpuUsedMhz", cpuUsed);
        view.put("cpuFreeMhz", cpuFree());
        view.put("memoryCapacityMb", memoryCapacityMb());
        view.put("memoryUsedMb", memoryUsedMb);
        view.put("memoryFreeMb", memoryFreeMb());
        view.put("guests", guests());
        view.put("maintenance", inMaintenance());
        if (maintenance != null) {
            view.put("maintenanceSince", maintenance.since().toString());
            view.put("maintenanceBy", maintenance.actor());
        }
        return view;
    }
}
