package io.elasticcloud.api.host;

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
}
