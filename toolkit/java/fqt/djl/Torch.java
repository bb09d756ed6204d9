package fqt.djl;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Access to DJL's PyTorch engine, loaded offline. Every entry point of this package goes through
 * {@link #engine()} before it creates a model or an NDArray, so the settings below are in place
 * before DJL first looks at them.
 *
 * <p>Threads: libtorch defaults to one intra-op thread per core (2 here). This package starts it
 * with {@value #DEFAULT_INTRA_OP_THREADS} instead, unless {@code -Dai.djl.pytorch.num_threads=N} says
 * otherwise. Measured on a 2-core machine, 2 threads gain nothing at batch 1 and at most ~30 % at
 * batch 16, but when another process wants a core at the same time, libtorch's OpenMP threads wait
 * for each other and a step can slow down 10-100x; one thread stays steady, and it is the
 * like-for-like setting when the other side of a comparison runs on one core.
 */
public final class Torch {
    /** DJL's name of the PyTorch engine. */
    public static final String ENGINE = "PyTorch";

    /** Intra-op threads libtorch starts with unless {@code ai.djl.pytorch.num_threads} is set. */
    public static final int DEFAULT_INTRA_OP_THREADS = 1;

    private Torch() {}

    /**
     * The PyTorch engine. Sets {@code ai.djl.offline=true} first unless the property is already
     * set: without it DJL may try to download libtorch, which fails on this project's machines.
     * Also sets {@code ai.djl.pytorch.num_threads} to {@value #DEFAULT_INTRA_OP_THREADS} unless it is
     * set (DJL reads it once, when the engine loads).
     * The first call in a fresh {@code ~/.djl.ai} extracts about 450 MB of libtorch (slow, once).
     */
    public static synchronized Engine engine() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(DEFAULT_INTRA_OP_THREADS));
        }
        return Engine.getEngine(ENGINE);
    }

    /** libtorch's current intra-op thread count (process-wide). */
    public static int intraOpThreads() {
        engine();
        return JniUtils.getNumThreads();
    }

    /**
     * Sets libtorch's intra-op thread count for the whole process (it is global in libtorch, so it
     * also affects any other DJL model running in this JVM) and returns the previous value.
     * The start-up value can also be set with {@code -Dai.djl.pytorch.num_threads=N}.
     */
    public static synchronized int setIntraOpThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        engine();
        int previous = JniUtils.getNumThreads();
        JniUtils.setNumThreads(threads);
        return previous;
    }

    /** "PyTorch 2.7.1 (DJL 0.36.0)", for reports. */
    public static String describe() {
        return ENGINE + " " + engine().getVersion() + " (DJL " + Engine.getDjlVersion() + ")";
    }
}
