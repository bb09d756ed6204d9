package fqt.parallel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Every part runs exactly once, on the caller or a helper, failures reach the caller, callers side by side do not wait on each other, and a waiting caller helps. */
class PartsTest {
    @Test
    void everyPartRunsOnceAndTheHelpersTakeSome() {
        ConcurrentHashMap<String, Boolean> threads = new ConcurrentHashMap<>();
        for (int job = 0; job < 2000; job++) {
            int parts = 1 + job % 7;
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            Parts.run(parts, p -> {
                runs.incrementAndGet(p);
                threads.put(Thread.currentThread().getName(), true);
                long until = System.nanoTime() + 20_000; // long enough for a helper to join
                while (System.nanoTime() < until) Thread.onSpinWait();
            });
            for (int p = 0; p < parts; p++) assertEquals(1, runs.get(p), "job " + job + " part " + p);
        }
        if (Parts.COUNT > 1) assertTrue(threads.keySet().stream().anyMatch(n -> n.startsWith("fqt-parts-")), "helpers ran parts: " + threads.keySet());
    }

    @Test
    void aFailingPartReachesTheCallerAfterTheOthersFinish() {
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> Parts.run(4, p -> {
            runs.incrementAndGet(p);
            if (p == 2) throw new ArithmeticException("part 2 failed");
        }));
        assertEquals("part 2 failed", e.getMessage());
        for (int p = 0; p < 4; p++) assertEquals(1, runs.get(p), "part " + p + " still ran");
    }

    @Test
    void callersSideBySideEachFinishTheirJobs() {
        int[] sums = IntStream.range(0, 4).parallel().map(caller -> {
            int total = 0;
            for (int job = 0; job < 500; job++) {
                int[] part = new int[3];
                Parts.run(3, p -> part[p] = p + 1);
                total += part[0] + part[1] + part[2];
            }
            return total;
        }).toArray();
        for (int s : sums) assertEquals(500 * 6, s);
    }

    /** A part may post a job of its own; every inner part runs once, and a helper that is done with its part helps with them. */
    @Test
    void partsPostJobsOfTheirOwn() {
        ConcurrentHashMap<String, Boolean> innerThreads = new ConcurrentHashMap<>();
        for (int job = 0; job < 500; job++) {
            AtomicIntegerArray inner = new AtomicIntegerArray(2 * 5);
            Parts.run(2, outer -> {
                if (outer == 1) return; // a short part: its thread is free for the other part's job
                for (int round = 0; round < 2; round++) {
                    int r = round;
                    Parts.run(5, p -> {
                        inner.incrementAndGet(r * 5 + p);
                        innerThreads.put(Thread.currentThread().getName(), true);
                        long until = System.nanoTime() + 20_000;
                        while (System.nanoTime() < until) Thread.onSpinWait();
                    });
                }
            });
            for (int i = 0; i < 10; i++) assertEquals(1, inner.get(i), "job " + job + " inner part " + i);
        }
        if (Parts.COUNT > 1) assertTrue(innerThreads.size() > 1, "a helper took inner parts: " + innerThreads.keySet());
    }

    /**
     * Two parts each post a job at once: both are posted, and the caller, done with its own part,
     * helps with the job of the part a helper runs while it waits for that part.
     */
    /** depth(): 0 outside any part, 1 in a part, 2 in a part a thread runs while its own part waits for that job (SamplesInFlight reads it). */
    @Test
    void depthCountsThePartsAThreadIsInside() {
        assertEquals(0, Parts.depth());
        AtomicInteger outer = new AtomicInteger(), deepest = new AtomicInteger();
        for (int job = 0; job < 500 && deepest.get() < 2; job++) {
            Parts.run(2, p -> {
                outer.accumulateAndGet(Parts.depth(), Math::max);
                if (p == 0) Parts.run(2, q -> deepest.accumulateAndGet(Parts.depth(), Math::max));
            });
        }
        assertEquals(1, outer.get(), "a part's depth");
        if (Parts.COUNT > 1) assertEquals(2, deepest.get(), "a part run within a part of the same thread");
        assertThrows(ArithmeticException.class, () -> Parts.run(2, p -> { throw new ArithmeticException("part " + p); }));
        assertEquals(0, Parts.depth(), "after the parts, failed ones too");
    }

    @Test
    void aWaitingCallerHelpsWithAnotherJob() {
        String caller = Thread.currentThread().getName();
        boolean helped = false;
        // Until it happens or 10 s pass: on a loaded machine the helper may not be scheduled in time for many jobs.
        long until = System.nanoTime() + 10_000_000_000L;
        for (int job = 0; !helped && System.nanoTime() < until; job++) {
            ConcurrentHashMap<String, Boolean> secondJobThreads = new ConcurrentHashMap<>();
            String[] secondPartThread = new String[1];
            AtomicIntegerArray inner = new AtomicIntegerArray(2 * 6);
            Parts.run(2, outer -> {
                if (outer == 1) secondPartThread[0] = Thread.currentThread().getName();
                Parts.run(6, p -> {
                    inner.incrementAndGet(outer * 6 + p);
                    if (outer == 1) secondJobThreads.put(Thread.currentThread().getName(), true);
                    long partEnd = System.nanoTime() + (outer == 1 ? 40_000 : 5_000); // the second job is the longer one
                    while (System.nanoTime() < partEnd) Thread.onSpinWait();
                });
            });
            for (int i = 0; i < 12; i++) assertEquals(1, inner.get(i), "job " + job + " inner part " + i);
            helped = !caller.equals(secondPartThread[0]) && secondJobThreads.containsKey(caller);
        }
        if (Parts.COUNT > 1) assertTrue(helped, "the caller never took a part of the job a helper's part posted");
    }
}
