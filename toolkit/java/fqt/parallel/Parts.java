package fqt.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The simulator's use of every core within one training run: a job cut into independent parts
 * (each part's result the same whichever thread runs it, so nothing depends on the threads), run
 * by the caller and by helper threads that are free. Jobs are small (tens of microseconds), so
 * helpers spin for a short while between jobs before they park. One job is posted at a time:
 * once its last part is claimed, a part may post a job of its own (a helper that is done helps
 * with it); a job posted while the slot is taken (runs of a sweep side by side) is done by its
 * caller alone. Helpers are never waited for: a caller runs every part nobody has claimed.
 */
public final class Parts {
    private Parts() {}

    /**
     * Threads one job uses at most (the caller and {@code COUNT - 1} helpers): this machine's cores,
     * or the system property {@code fqt.threads} (1 runs every part on the caller).
     */
    public static final int COUNT = Math.max(1, Integer.getInteger("fqt.threads", Math.min(8, Runtime.getRuntime().availableProcessors())));
    /** How long a helper looks for the next job before it parks. */
    private static final long SPIN_NANOS = 200_000;

    private static final AtomicReference<Job> POSTED = new AtomicReference<>();
    private static final Thread[] HELPERS = new Thread[COUNT - 1];

    static {
        for (int h = 0; h < HELPERS.length; h++) {
            HELPERS[h] = new Thread(Parts::help, "fqt-parts-" + (h + 1));
            HELPERS[h].setDaemon(true);
            HELPERS[h].start();
        }
    }

    private static final class Job {
        final IntConsumer body;
        final int parts;
        final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        volatile Throwable failure;

        Job(IntConsumer body, int parts) {
            this.body = body;
            this.parts = parts;
        }

        /** Runs parts until none is left unclaimed; the one claiming the last part frees the slot for the jobs the parts post. */
        void work() {
            for (int p; (p = next.getAndIncrement()) < parts; ) {
                if (p == parts - 1) POSTED.compareAndSet(this, null);
                try {
                    body.accept(p);
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                }
                done.incrementAndGet();
            }
        }
    }

    /**
     * How many parts {@code items} items (structures, channels) doing {@code work} in all (e.g. MACs)
     * are cut into: one per thread, none smaller than {@code minWork}, at least 1. (Four per thread,
     * so that a helper joining late takes a small part, measured no faster on 2 cores.)
     */
    public static int cut(int items, long work, long minWork) {
        return (int) Math.max(1, Math.min(Math.min(COUNT, items), work / minWork));
    }

    /**
     * Runs {@code body.accept(p)} for every p in [0, parts) and returns when all are done; the first
     * part's exception, if any, is thrown here (RuntimeException and Error as they are).
     */
    public static void run(int parts, IntConsumer body) {
        if (parts <= 1 || HELPERS.length == 0) {
            for (int p = 0; p < parts; p++) body.accept(p);
            return;
        }
        Job job = new Job(body, parts);
        boolean posted = POSTED.compareAndSet(null, job);
        if (posted) for (Thread h : HELPERS) LockSupport.unpark(h);
        job.work();
        while (job.done.get() < parts) Thread.onSpinWait();
        if (posted) POSTED.compareAndSet(job, null);
        Throwable t = job.failure;
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException(t);
    }

    private static void help() {
        long idleSince = System.nanoTime();
        while (true) {
            Job job = POSTED.get();
            if (job != null && job.next.get() < job.parts) {
                job.work();
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park();
                idleSince = System.nanoTime();
            }
        }
    }
}
