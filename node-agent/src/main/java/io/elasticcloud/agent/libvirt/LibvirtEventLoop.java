package io.elasticcloud.agent.libvirt;

import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's default event loop, which delivers domain events to libvirt-java listeners. It is one
 * per process (a libvirt rule), registered before the first connection is opened, and run for the
 * life of the process by one daemon thread: stopping it would silence every other connection.
 */
final class LibvirtEventLoop {
    private static final Logger log = LoggerFactory.getLogger(LibvirtEventLoop.class);
    private static Thread thread;

    private LibvirtEventLoop() {
    }

    static synchronized void ensureRunning() throws LibvirtException {
        if (thread != null) {
            return;
        }
        Library.initEventLoop();
        thread = new Thread(() -> {
            while (true) {
                try {
                    Library.runEventLoop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (LibvirtException | RuntimeException e) {
                    log.warn("libvirt event loop: {}", e.getMessage());
                }
            }
        }, "libvirt-event-loop");
        thread.setDaemon(true);
        thread.start();
    }
}
