package io.elasticcloud.it;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/** What {@link RunningSystem} needs besides the process: where the repository is, a free port, a secret. */
final class RunningSystemSupport {
    private RunningSystemSupport() {
    }

    static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    /** Where the systems' logs and data directories go: {@code it.logDirectory}, else integration-tests/target. */
    static Path logDirectory() {
        return Path.of(System.getProperty("it.logDirectory",
                repositoryRoot().resolve("integration-tests/target").toString())).toAbsolutePath().normalize();
    }

    static Path repositoryRoot() {
        String configured = System.getProperty("it.repositoryRoot");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("deploy/run-single-host.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (deploy/run-single-host.sh); "
                + "set -Dit.repositoryRoot");
    }

    static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String randomSecret() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
