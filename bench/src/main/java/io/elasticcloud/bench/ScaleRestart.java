package io.elasticcloud.bench;

import io.elasticcloud.it.PlainHttp;
import io.elasticcloud.it.ThreeHosts;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API process killed (SIGKILL, with its children) and started again on the same database, as
 * after a crash, with the fleet beating throughout: how long until {@code /actuator/health} is UP
 * (the harness's own wait), how long until every fleet host is listed reachable again, fleet hosts
 * listed unreachable after they were reachable again (falsely silent), the active servers before
 * and after a further heartbeat interval (reconciliation must leave them active), and the API's CPU
 * in each second of the first {@link #WATCHED} after health, its peak against its mean (a storm of
 * reconciliation would show as a peak).
 */
final class ScaleRestart {
    static final Duration WATCHED = Duration.ofSeconds(30);

    record Figures(double healthSeconds, double hostsSeconds, int reachableAtHealth, int hosts, int falselySilent,
                   long activeBefore, long activeAfter, double peakCpu, double meanCpu) {
        @Override
        public String toString() {
            return String.format("healthy in %.1f s, every host reachable before reachable again in %.1f s (%d of %d at health), falsely silent %d,"
                            + " active servers %d before, %d after; API CPU in the first %d s: peak %.0f%%, mean %.0f%% of a core",
                    healthSeconds, hostsSeconds, reachableAtHealth, hosts, falselySilent, activeBefore, activeAfter,
                    WATCHED.toSeconds(), peakCpu * 100, meanCpu * 100);
        }
    }

    private ScaleRestart() {
    }

    static Figures measure(ThreeHosts system) throws Exception {
        long activeBefore = activeServers(system);
        // the hosts to wait for: those listed reachable before the kill (a fleet agent that never
        // reached the API would otherwise hold the figure)
        int hostsBefore = FleetBench.listed(system.api.http(), system.api.adminAuthorization(), new HashSet<>(), new HashSet<>());
        system.api.crash();
        long t0 = System.nanoTime();
        system.api.restart();
        double health = (System.nanoTime() - t0) / 1e9;
        long healthy = System.nanoTime();
        long pid = FleetBench.apiPid(system);
        PlainHttp http = system.api.http();
        String admin = system.api.adminAuthorization();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Set<String> silent = ConcurrentHashMap.newKeySet();
        int atHealth = FleetBench.listed(http, admin, new HashSet<>(), new HashSet<>());
        double[] perSecond = new double[(int) WATCHED.toSeconds()];
        double cpu = Cpu.seconds(pid);
        double hosts = Double.NaN;
        for (int i = 0; i < perSecond.length; i++) {
            long next = healthy + (i + 1) * 1_000_000_000L;
            // the listing is done between CPU samples, so its own cost is in the figure (once a second)
            int reachable = FleetBench.listed(http, admin, seen, Double.isNaN(hosts) ? new HashSet<>() : silent);
            if (Double.isNaN(hosts) && reachable >= hostsBefore) {
                hosts = (System.nanoTime() - t0) / 1e9;
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000);
            }
            double now = Cpu.seconds(pid);
            perSecond[i] = now - cpu;
            cpu = now;
        }
        for (int i = 0; i < 90 && Double.isNaN(hosts); i++) {
            if (FleetBench.listed(http, admin, seen, silent) >= hostsBefore) {
                hosts = (System.nanoTime() - t0) / 1e9;
            } else {
                Thread.sleep(1000);
            }
        }
        Thread.sleep(FleetBench.HEARTBEAT.toMillis());
        long activeAfter = activeServers(system);
        double peak = 0;
        double sum = 0;
        for (double s : perSecond) {
            peak = Math.max(peak, s);
            sum += s;
        }
        return new Figures(health, hosts, atHealth, hostsBefore, silent.size(), activeBefore, activeAfter, peak,
                sum / perSecond.length);
    }

    static long activeServers(ThreeHosts system) throws java.sql.SQLException {
        return Long.parseLong(system.query("SELECT COUNT(*) FROM server WHERE status = 'ACTIVE'").get(0));
    }
}
