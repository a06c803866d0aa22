package io.elasticcloud.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one {@link StandardGuestSystem} the client test classes of a test JVM share (jclouds',
 * Libcloud's and the web pages' in a browser): started by the first class that asks, and closed as the JVM's tests
 * end (it is kept in JUnit's root store, which closes what it holds), so that its start — four
 * processes, HAProxy, a libvirt network, the standard drive's import — is paid once. Each class
 * uses a customer of its own ({@link #newCustomer()}), so what one leaves cannot be seen by another.
 *
 * <pre>{@code @RegisterExtension static final SharedGuestSystem CLOUD = new SharedGuestSystem();}</pre>
 */
final class SharedGuestSystem implements BeforeAllCallback {
    /** The standard drive, under the UUID Libcloud's table knows as "Debian Linux 5.0". */
    static final String IMAGE = "980cf63c-f21e-4382-997b-6541d5809629";
    /** jclouds reads the operating system's family from the name. */
    private static final String IMAGE_NAME = "Debian Linux 12 test guest";
    private static final Path WORK = Path.of("target", "client-tests").toAbsolutePath();

    private StandardGuestSystem system;

    @Override
    public void beforeAll(ExtensionContext context) {
        system = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(SharedGuestSystem.class, key -> start(), StandardGuestSystem.class);
    }

    private static StandardGuestSystem start() {
        try {
            return StandardGuestSystem.start("clients", WORK, IMAGE, IMAGE_NAME);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    StandardGuestSystem get() {
        if (system == null) {
            throw new IllegalStateException("not started: register it with @RegisterExtension on a static field");
        }
        return system;
    }

    Customer newCustomer() {
        return get().secondApi.createCustomer();
    }
}
