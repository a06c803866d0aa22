package io.elasticcloud.bench;

import io.elasticcloud.api.ApiProperties;
import io.elasticcloud.api.account.ApiKeys;
import io.elasticcloud.api.frontdoor.FrontDoorProperties;
import io.elasticcloud.api.security.AdminCredentials;
import io.elasticcloud.protocol.settings.DataDirectory;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * What checking a credential costs, in this JVM, with the service's own classes: a customer's API
 * key ({@link ApiKeys#matches}: one SHA-256 and a constant-time compare) against a password
 * checked the slow way ({@link AdminCredentials#matches} with a wrong password, which always pays
 * its PBKDF2WithHmacSHA256 of 210,000 iterations).
 */
final class KeyCheck {
    /** nanoseconds per check */
    record Result(double apiKeyNanos, double pbkdf2Nanos) {
    }

    private KeyCheck() {
    }

    static Result measure(Path scratch) {
        String key = ApiKeys.newKey();
        String hash = ApiKeys.hash(key);
        String wrong = ApiKeys.newKey();
        boolean sink = false;
        for (int i = 0; i < 200_000; i++) { // warm-up: let the JIT compile it
            sink ^= ApiKeys.matches((i & 1) == 0 ? key : wrong, hash);
        }
        long n = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            for (int i = 0; i < 10_000; i++) {
                sink ^= ApiKeys.matches(key, hash);
            }
            n += 10_000;
            elapsed = System.nanoTime() - start;
        } while (elapsed < 2_000_000_000L);
        double apiKey = (double) elapsed / n;

        AdminCredentials admin = new AdminCredentials(new ApiProperties(ApiKeys.newKey(), Duration.ofSeconds(30),
                DataSize.ofMegabytes(64), DataSize.ofMegabytes(256), null, DataSize.ofGigabytes(2)),
                new DataDirectory(scratch), FrontDoorProperties.defaults());
        for (int i = 0; i < 3; i++) {
            sink ^= admin.matches("wrong-" + i);
        }
        int m = 0;
        start = System.nanoTime();
        do {
            sink ^= admin.matches("wrong password " + m);
            m++;
            elapsed = System.nanoTime() - start;
        } while (m < 10 || elapsed < 2_000_000_000L);
        if (sink) {
            System.out.print(""); // keeps the results alive
        }
        return new Result(apiKey, (double) elapsed / m);
    }
}
