package fqt.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The simulator's use of every core within one training run: a job cut into independent parts
 * (each part's result the same whichever thread runs it, so nothing depends on the threads), run
 * by the caller and by helper threads that are free. Jobs are small (tens of microseconds), so
 * helpers spin for a short while between jobs before they park. A job is posted in one of a few
 * slots until its last part is claimed, so a part may post a job of its own (the error sums beside
 * the gradient sums each post theirs); a caller whose parts are all claimed helps with any posted
 * job while it waits for the others' parts to finish; a job posted when every slot is taken (runs
 * of a sweep side by side) is done by its caller alone. Helpers are never waited for: a caller
 * runs every part nobody has claimed.
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

    /** Jobs with parts not claimed yet: two per thread, enough for every thread's job and one nested in it. */
    private static final AtomicReferenceArray<Job> POSTED = new AtomicReferenceArray<>(2 * COUNT);
    private static final Thread[] HELPERS = new Thread[COUNT - 1];

    static {
        for (int h = 0; h < HELPERS.length; h++) {
            HELPERS[h] = new Thread(Parts::help, "fqt-parts-" + (h + 1));
            HELPERS[h].setDaemon(true);
            HELPERS[h].start();
        }
    }

    /** Per thread: the parts of posted jobs it is inside of, one within another. */
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    /**
     * How many parts of posted jobs the calling thread is inside of: at least 1 in a part's body,
     * more when it runs a part while one of its own parts waits for a job ({@link #run} helps). A
     * part that waits for another part of its job must not wait at a depth above 1: the part it
     * waits for may be waiting for it.
     */
    public static int depth() { return DEPTH.get()[0]; }

    private static final class Job {
        final IntConsumer body;
        final int parts;
        final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        /** Its slot in POSTED, or -1 when it was not posted. */
        int slot = -1;
        volatile Throwable failure;

        Job(IntConsumer body, int parts) {
            this.body = body;
            this.parts = parts;
        }

        /** Runs parts until none is left unclaimed; the one claiming the last part frees the job's slot. */
        void work() {
            int[] depth = DEPTH.get();
            for (int p; (p = next.getAndIncrement()) < parts; ) {
                if (p == parts - 1) unpost();
                depth[0]++;
                try {
                    body.accept(p);
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                } finally {
                    depth[0]--;
                }
                done.incrementAndGet();
            }
        }

        /** Takes a free slot: true if it got one. */
        boolean post() {
            for (int i = 0; i < POSTED.length(); i++) {
                slot = i;
                if (POSTED.compareAndSet(i, null, this)) return true;
            }
            slot = -1;
            return false;
        }

        void unpost() {
            if (slot >= 0) POSTED.compareAndSet(slot, this, null);
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
        if (job.post()) for (Thread h : HELPERS) LockSupport.unpark(h);
        job.work();
        while (job.done.get() < parts) if (!helpOne()) Thread.onSpinWait();
        job.unpost();
        Throwable t = job.failure;
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException(t);
    }

    /** Works on the first posted job with parts left; false if there is none. */
    private static boolean helpOne() {
        for (int i = 0; i < POSTED.length(); i++) {
            Job job = POSTED.get(i);
            if (job != null && job.next.get() < job.parts) {
                job.work();
                return true;
            }
        }
        return false;
    }

    private static void help() {
        long idleSince = System.nanoTime();
        while (true) {
            if (helpOne()) {
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
