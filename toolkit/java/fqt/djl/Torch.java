package fqt.djl;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Access to DJL's PyTorch engine, loaded offline. Every entry point of this package goes through
 * {@link #engine()} before it creates a model or an NDArray, so the offline switch is set before
 * DJL first looks at it.
 */
public final class Torch {
    /** DJL's name of the PyTorch engine. */
    public static final String ENGINE = "PyTorch";

    private Torch() {}

    /**
     * The PyTorch engine. Sets {@code ai.djl.offline=true} first unless the property is already
     * set: without it DJL may try to download libtorch, which fails on this project's machines.
     * The first call in a fresh {@code ~/.djl.ai} extracts about 450 MB of libtorch (slow, once).
     */
    public static synchronized Engine engine() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        return Engine.getEngine(ENGINE);
    }

    /** libtorch's intra-op thread count (process-wide; libtorch's default is the number of cores). */
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
