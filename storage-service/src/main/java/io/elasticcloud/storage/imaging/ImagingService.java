package io.elasticcloud.storage.imaging;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Events.ImagingFinished;
import io.elasticcloud.protocol.storage.StorageCommands.ImageVolume;
import io.elasticcloud.protocol.storage.VolumeDataPath;
import io.elasticcloud.storage.volume.VolumeBackend;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The imaging jobs of one storage node. Jobs run on a shared bounded executor; jobs for the same
 * target run one at a time in the order they came (the API shows the waiting ones as {@code
 * queued}). A job id seen before, waiting, running or finished, is not started again; one that
 * finished is announced again ({@link ImagingFinished} as the first time), for the API sends a job
 * again only while it has not heard of its end (an announcement it missed would leave the drive
 * imaging for good).
 */
public final class ImagingService {
    private static final int REMEMBERED_FINISHED_JOBS = 10_000;

    private final String node;
    private final VolumeBackend targets;
    private final VolumeDataPath sources;
    private final Executor executor;
    private final Consumer<Event> publisher;
    private final Duration progressInterval;

    private final Map<String, Deque<ImagingJob>> waiting = new HashMap<>();
    private final Set<String> runningTargets = new HashSet<>();
    private final Set<String> pendingJobs = new HashSet<>();
    /** The last jobs that finished, with how each ended. */
    private final Map<String, ImagingFinished> finishedJobs = new LinkedHashMap<>();
    private final Set<ImagingJob> running = new HashSet<>();
    /** The ends of running jobs, as announced, until {@link #finished} files them. */
    private final Map<String, ImagingFinished> announced = new HashMap<>();
    private boolean closing;

    public ImagingService(String node, VolumeBackend targets, VolumeDataPath sources, Executor executor,
                          Consumer<Event> publisher, Duration progressInterval) {
        this.node = node;
        this.targets = targets;
        this.sources = sources;
        this.executor = executor;
        this.publisher = publisher;
        this.progressInterval = progressInterval;
    }

    /**
     * Queues the job; false (and nothing done) when this job id was seen before; {@code system}
     * once {@link #close} was called.
     */
    public synchronized boolean submit(ImageVolume command) {
        if (closing) {
            throw ElasticException.system("storage node %s is shutting down", node);
        }
        ImagingFinished ended = finishedJobs.get(command.job());
        if (ended != null) {
            announce(ended);
        }
        if (pendingJobs.contains(command.job()) || finishedJobs.containsKey(command.job())) {
            return false;
        }
        pendingJobs.add(command.job());
        waiting.computeIfAbsent(command.target(), t -> new ArrayDeque<>())
                .add(new ImagingJob(node, command, targets, sources, this::recording, progressInterval, System::nanoTime));
        if (!runningTargets.contains(command.target())) {
            startNext(command.target());
        }
        return true;
    }

    /**
     * Ends job {@code job} into {@code target} for good ({@code CancelImaging}): a waiting one is
     * dropped, a running one stopped ({@link ImagingJob#stop}), and either is filed as finished
     * with error type {@code missing} and announced, so that sending it again never runs it. A
     * job that already finished stays as it ended.
     */
    public synchronized void cancel(String job, String target) {
        if (finishedJobs.containsKey(job)) {
            return;
        }
        ImagingFinished end = new ImagingFinished(node, job, target, ErrorType.MISSING,
                "imaging cancelled: the source can no longer be read by whoever asked for the copy");
        Deque<ImagingJob> queue = waiting.get(target);
        if (queue != null && queue.removeIf(j -> j.command().job().equals(job))) {
            pendingJobs.remove(job);
        }
        running.stream().filter(j -> j.command().job().equals(job)).forEach(ImagingJob::stop);
        finishedJobs.put(job, end);
        forgetOldest();
        announce(end);
    }

    /** Whether a job is waiting for or writing into {@code target}. */
    public synchronized boolean busy(String target) {
        return runningTargets.contains(target);
    }

    private void startNext(String target) {
        Deque<ImagingJob> queue = waiting.get(target);
        ImagingJob job = queue == null ? null : queue.poll();
        if (job == null) {
            waiting.remove(target);
            runningTargets.remove(target);
            return;
        }
        runningTargets.add(target);
        running.add(job);
        try {
            executor.execute(() -> {
                try {
                    job.run();
                } finally {
                    finished(job);
                }
            });
        } catch (RejectedExecutionException e) {
            // the threads are gone: shutting down. No report: the job is sent again later, and runs then
            running.remove(job);
            runningTargets.remove(target);
            pendingJobs.remove(job.command().job());
        }
    }

    /** A job's events go out; its end is also kept until {@link #finished} files it. */
    private void recording(Event event) {
        if (event instanceof ImagingFinished ended) {
            synchronized (this) {
                announced.put(ended.job(), ended);
            }
        }
        publisher.accept(event);
    }

    private void announce(ImagingFinished ended) {
        try {
            publisher.accept(ended);
        } catch (RuntimeException e) {
            // the next sending of the job announces it again
        }
    }

    private synchronized void finished(ImagingJob job) {
        running.remove(job);
        String id = job.command().job();
        ImagingFinished ended = announced.remove(id);
        if (closing) {
            return;
        }
        pendingJobs.remove(id);
        if (ended != null) {
            finishedJobs.put(id, ended);
        }
        forgetOldest();
        startNext(job.command().target());
    }

    private void forgetOldest() {
        if (finishedJobs.size() > REMEMBERED_FINISHED_JOBS) {
            finishedJobs.remove(finishedJobs.keySet().iterator().next());
        }
    }

    /**
     * Shutting down: no job starts any more, the running ones stop at their next buffer and the
     * waiting ones are dropped, none of them reported finished. They stay recorded by the API
     * service, which sends them again (on its start, and periodically) to be run from the start.
     */
    public synchronized void close() {
        closing = true;
        running.forEach(ImagingJob::stop);
        waiting.clear();
    }

    /** Whether a job still runs (after {@link #close}: until it has stopped). */
    public synchronized boolean running() {
        return !running.isEmpty();
    }
}
