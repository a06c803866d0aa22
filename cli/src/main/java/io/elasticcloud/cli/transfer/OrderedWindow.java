package io.elasticcloud.cli.transfer;

import io.elasticcloud.cli.CliException;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Several chunks in flight, their results taken in chunk order: {@link #submit} runs a task on the
 * pool and, once {@code size} tasks are pending, first waits for the oldest and hands its result
 * to the consumer. So the consumer sees chunk 0, 1, 2... (what a running checksum and a "first N
 * chunks done" state need) while up to {@code size} requests run at once. The first failure is
 * thrown from {@code submit} or {@link #drain}; {@link #cancel} stops what is still running.
 */
public final class OrderedWindow<T> {
    private final ExecutorService pool;
    private final int size;
    private final Consumer<T> consumer;
    private final ArrayDeque<Future<T>> pending = new ArrayDeque<>();

    public OrderedWindow(ExecutorService pool, int size, Consumer<T> consumer) {
        this.pool = pool;
        this.size = size;
        this.consumer = consumer;
    }

    public void submit(Callable<T> task) {
        while (pending.size() >= size) {
            takeOldest();
        }
        pending.add(pool.submit(task));
    }

    public void drain() {
        while (!pending.isEmpty()) {
            takeOldest();
        }
    }

    public void cancel() {
        pending.forEach(f -> f.cancel(true));
        pending.clear();
    }

    private void takeOldest() {
        Future<T> f = pending.poll();
        T result;
        try {
            result = f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof CliException ce) {
                throw ce;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error er) {
                throw er;
            }
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.local("interrupted");
        }
        consumer.accept(result);
    }
}
