package io.elasticcloud.api.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiTestBase;
import io.elasticcloud.api.support.OnPostgres;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Events.ImagingFinished;
import io.elasticcloud.protocol.storage.Conversion;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every API instance receives every storage event: an imaging's end applied by one instance while
 * another applies it too is applied once, and the second finds nothing left, without an error.
 */
@OnPostgres
class ImagingEventsTwiceTest extends ApiTestBase {
    @Autowired
    ImagingEvents events;
    @Autowired
    ImagingJobRepository jobs;
    @Autowired
    TransactionTemplate tx;

    @Test
    void anImagingsEndAppliedByTwoInstancesAtOnceIsAppliedOnce() throws Exception {
        Map<String, String> target = properties(api.post("/drives/create", "name t\nsize 1048576\n"));
        UUID drive = UUID.fromString(target.get("drive"));
        UUID job = UUID.randomUUID();
        jobs.save(new ImagingJob(job, drive, drive, Conversion.NONE, Instant.now()));
        ImagingFinished finished = new ImagingFinished("node", job.toString(), drive.toString(), ErrorType.FAILED,
                "the source could not be read");

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch firstHasIt = new CountDownLatch(1);
            CountDownLatch letGo = new CountDownLatch(1);
            // the first instance, part way through applying the end: the job's row read and removed
            Future<?> first = pool.submit(() -> tx.executeWithoutResult(status -> {
                jobs.findLockedById(job).ifPresent(jobs::delete);
                jobs.flush();
                firstHasIt.countDown();
                await(letGo);
            }));
            assertThat(firstHasIt.await(30, TimeUnit.SECONDS)).isTrue();
            Future<?> second = pool.submit(() -> events.onEvent(finished));
            Thread.sleep(300);
            assertThat(second.isDone()).as("the second instance waits for the first").isFalse();
            letGo.countDown();
            first.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS); // and then finds nothing left to do: no error
        } finally {
            pool.shutdownNow();
        }
        assertThat(jobs.findById(job)).isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
