package io.elasticcloud.agent.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import java.lang.reflect.Field;
import org.libvirt.Network;

/**
 * {@code virNetworkUpdate}, which libvirt-java 0.5.2 does not bind: called through JNA on the
 * network's own handle (read from libvirt-java's {@code Network}), so it runs on the same
 * connection as everything else.
 */
final class NetworkUpdate {
    static final int COMMAND_DELETE = 2;
    static final int COMMAND_ADD_LAST = 3;
    static final int SECTION_IP_DHCP_HOST = 4;
    static final int AFFECT_LIVE = 1;
    static final int AFFECT_CONFIG = 2;

    interface Virt extends Library {
        int virNetworkUpdate(Pointer network, int command, int section, int parentIndex, String xml, int flags);

        String virGetLastErrorMessage();
    }

    private static final class Holder {
        static final Virt VIRT = Native.load("virt", Virt.class);
        static final Field HANDLE;

        static {
            try {
                HANDLE = Network.class.getDeclaredField("vnp");
                HANDLE.setAccessible(true);
            } catch (NoSuchFieldException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private NetworkUpdate() {
    }

    /**
     * Applies one change to a section of the network, to its running dnsmasq ({@code live}) and,
     * for a persistent network, to its stored definition too.
     *
     * @throws IllegalStateException with libvirt's message when libvirt refuses
     */
    static void update(Network network, int command, int section, String xml, boolean persistent) {
        Pointer handle;
        try {
            handle = ((PointerType) Holder.HANDLE.get(network)).getPointer();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("libvirt-java's network handle is out of reach", e);
        }
        int flags = AFFECT_LIVE | (persistent ? AFFECT_CONFIG : 0);
        if (Holder.VIRT.virNetworkUpdate(handle, command, section, -1, xml, flags) < 0) {
            throw new IllegalStateException(Holder.VIRT.virGetLastErrorMessage());
        }
    }
}
