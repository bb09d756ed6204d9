package fqt.train;

import fqt.data.Dataset;
import fqt.nn.Context;
import fqt.nn.Model;
import fqt.parallel.Parts;
import fqt.quant.Xorshift32;

/**
 * The forward and backward passes of a training's samples, two samples in flight where the bits
 * allow it: within a batch every sample sees the same weights, so the forward pass of the next
 * sample runs on a {@link Model#twin} beside the backward pass of this one. The result is the serial
 * order's to the bit:
 * <ul>
 *   <li>the ranges a pass moves on (feature ranges forward, error ranges backward) are handed from
 *       the twin that ran the last pass of that kind to the one running the next;</li>
 *   <li>the next forward pass draws from where the stream will be once this backward pass is done.
 *       It starts at the backward pass's midway point (before the second layer with weights from
 *       the top), where the stream position so far is known and the rest is guessed: the last
 *       backward pass's draws for the errors after that point, and {@link Model#guessSumDrawsToCome}
 *       for the int8 sums (a structure whose sum stays zero takes none; the midway layer's errors
 *       are known by then, so an error of a linear layer that rounds to zero is seen). A guess the
 *       backward pass does not meet (an error below the midway layer that rounds to zero; partial
 *       updates, which select by the sample) is thrown away and the forward pass run again, after
 *       the backward pass, from the true position.</li>
 * </ul>
 * Batch 1 and in-place updates change the weights inside the backward pass, so they run one sample
 * at a time, as does a single thread.
 */
final class SamplesInFlight {
    private final Dataset train;
    private final Context main;
    private final boolean overlap;
    private final Model[] twins;
    private final Context[] contexts;
    private final float[][] inputs;
    /** The twin that ran the last forward and the last backward pass: the holder of their state. */
    private int forwardHolder, backwardHolder;
    /** The twin of the current sample, and the sample whose forward pass has already run beside a backward one (or -1). */
    private int current, ahead = -1;
    private float[] aheadLogits;
    private final Xorshift32 guessed = new Xorshift32(1);
    /**
     * Draws of the last backward pass after its midway point ({@link Model#backward(int, Context, Runnable)})
     * besides its int8 sums' (the errors'): the same from sample to sample under full updates.
     */
    private long otherDrawsAfterMidway;
    /** The stream position at the last backward pass's midway point, and the guess of where it ends. */
    private long midwayAt, guessedAt;
    /** Set once the guess is made (or the backward pass failed): the forward pass beside it may start. */
    private volatile boolean guessReady;
    /** Whether a forward pass waits for the running backward pass's guess, and the hook that makes it. */
    private boolean guessing;
    private final Runnable atMidway = this::atMidway;
    private long backwardNanos;
    /** Forward passes run beside a backward pass, and those of them run again (a missed guess). */
    long overlapped, missed;

    /** {@code main}: the training's context, whose stream and counters the passes use. */
    SamplesInFlight(Model m, Dataset train, Context main, TrainingConfig cfg, boolean allowed) {
        this.train = train;
        this.main = main;
        this.overlap = allowed && cfg.batch() > 1 && main.gradients != fqt.nn.Gradients.IN_PLACE && Parts.COUNT > 1;
        this.twins = overlap ? new Model[] {m, m.twin()} : new Model[] {m};
        this.contexts = overlap ? new Context[] {stageContext(cfg), stageContext(cfg)} : new Context[] {main};
        this.inputs = new float[twins.length][train.sampleSize()];
    }

    private Context stageContext(TrainingConfig cfg) {
        Context c = cfg.context();
        c.selection = main.selection;
        return c;
    }

    /** The logits of dataset sample {@code s} (a view, valid until the next call): run now, or already beside the last backward pass. */
    float[] forward(int s) {
        if (s == ahead) {
            ahead = -1;
            current = 1 - current;
            return aheadLogits;
        }
        current = 0;
        train.copySample(s, inputs[0]);
        return forwardOn(0, main.rng);
    }

    /**
     * The backward pass of the current sample ({@code label}); {@code next} (or -1), the dataset
     * sample whose forward pass runs beside it, from the backward pass's midway point on. Returns the loss.
     */
    float backward(int label, int next) {
        int r = current;
        if (next < 0 || !overlap) return backwardOn(r, label);
        int o = 1 - r;
        train.copySample(next, inputs[o]);
        guessReady = false;
        guessing = true;
        float[] loss = new float[1];
        float[][] logits = new float[1][];
        Parts.run(2, p -> {
            if (p == 0) {
                try {
                    loss[0] = backwardOn(r, label);
                } finally {
                    guessing = false;
                    guessReady = true; // a backward pass that failed before its midway point must not hold the other part
                }
            } else {
                while (!guessReady) {
                    // A thread inside another part (the backward pass's own, or one helping with its
                    // jobs) may hold what the backward pass waits for: it does not wait, and the
                    // forward pass runs after the backward pass, as after a missed guess.
                    if (Parts.depth() > 1) return;
                    Thread.onSpinWait();
                }
                try {
                    logits[0] = forwardOn(o, guessed);
                } catch (RuntimeException e) { // from the wrong position it may fail where the true one does not: a miss
                    logits[0] = null;
                }
            }
        });
        overlapped++;
        if (logits[0] != null && main.rng.handedOut() == guessedAt) {
            main.rng.skip(guessed.handedOut());
        } else { // the guess missed: the pass is run again from the true position
            missed++;
            contexts[o].resetCounters();
            forwardHolder = r;
            logits[0] = forwardOn(o, main.rng);
        }
        main.takeCounters(contexts[o]);
        ahead = next;
        aheadLogits = logits[0];
        return loss[0];
    }

    private float[] forwardOn(int t, Xorshift32 stream) {
        if (t != forwardHolder) twins[t].takeForwardState(twins[forwardHolder]);
        forwardHolder = t;
        Context c = contexts[t];
        c.rng = stream;
        float[] logits = twins[t].forward(inputs[t], c);
        if (c != main && stream == main.rng) main.takeCounters(c);
        return logits;
    }

    private float backwardOn(int t, int label) {
        if (t != backwardHolder) twins[t].takeBackwardState(twins[backwardHolder]);
        backwardHolder = t;
        Context c = contexts[t];
        c.rng = main.rng;
        long t0 = System.nanoTime();
        float loss = twins[t].backward(label, c, atMidway);
        backwardNanos += System.nanoTime() - t0;
        otherDrawsAfterMidway = main.rng.handedOut() - midwayAt - twins[t].sumDrawsAfterMidway();
        if (c != main) main.takeCounters(c);
        return loss;
    }

    /**
     * The backward pass's midway hook, on its thread, where the stream position so far is known: it
     * is kept, and when a forward pass waits beside it, the guess of where the pass ends is made.
     */
    private void atMidway() {
        midwayAt = main.rng.handedOut();
        if (!guessing) return;
        long toCome = otherDrawsAfterMidway + twins[backwardHolder].guessSumDrawsToCome(contexts[backwardHolder]);
        guessedAt = midwayAt + toCome;
        guessed.setState(Xorshift32.advance(main.rng.state(), toCome));
        guessReady = true;
    }

    /** Hands the last passes' state to the training's model, before an update or an evaluation reads it. */
    void settle() {
        if (forwardHolder != 0) twins[0].takeForwardState(twins[forwardHolder]);
        if (backwardHolder != 0) twins[0].takeBackwardState(twins[backwardHolder]);
        forwardHolder = backwardHolder = 0;
    }

    /** Wall time of the backward passes since the last call. */
    long takeBackwardNanos() {
        long n = backwardNanos;
        backwardNanos = 0;
        return n;
    }
}
