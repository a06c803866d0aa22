package io.elasticcloud.api.host;

import java.util.Map;

/**
 * What the servers on a host have been given, as the database counts them (the servers active or
 * paused there). The server side answers it; the host side only reads it, so that hosts need not
 * know what a server row is.
 */
public interface HostUse {

    /** Core MHz given to the servers on {@code node}. */
    long cpuOn(String node);

    /** MB of memory given to the servers on {@code node}. */
    long memOn(String node);

    /** Both, for every host that has servers, in one query: a listing of hosts asks once, not per host. */
    Map<String, Used> usedByHost();

    /** Core MHz and MB of memory given to the servers on one host. */
    record Used(long cpu, long mem) {
        public static final Used NONE = new Used(0, 0);
    }
}
