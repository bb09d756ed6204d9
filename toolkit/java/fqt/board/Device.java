package fqt.board;

import fqt.data.Dataset;
import fqt.nn.Model;
import fqt.results.ResultsCsv;
import fqt.quant.Rounding;
import fqt.train.Progress;
import fqt.train.TrainingConfig;
import fqt.wire.Frame;
import fqt.wire.Messages;
import fqt.wire.ModelBlob;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A model deployed on a board ({@link Board#deploy}) that trains there: samples go to the board in
 * the order {@link fqt.train.Training#fit} visits them (epoch e is {@code Dataset.permutation(n, seed * 1_000_003 + e)}),
 * so the board's run is the simulator's run, bit for bit. What the board measures per sample (loss,
 * prediction, instructions per phase, updated fraction) lands in {@link #log()} and in a CSV file as
 * it arrives, so nothing measured is lost if the JVM dies.
 *
 * <p>Faults: the link's CRC and resends hide a noisy line. A board that crashes (QEMU killed) or
 * resets mid-run is started again (virtual) or greeted until it answers (real), given the last
 * checkpoint the host pulled (the model blob and the board's whole training state, every
 * {@link #checkpointEvery} samples) and trained on from there: the samples after the checkpoint run
 * again, the log keeps each sample once. A board that stays silent fails with {@link BoardTimeoutException}.
 *
 * <p>Resume: each checkpoint is also written to disk beside the CSV ({@code device.csv.checkpoint},
 * {@link CheckpointFile}). A {@link #train} call that failed is continued by the next call with the
 * same data and epochs, from the last checkpoint; a new process continues it with
 * {@link Board#resume(Path)} and that call. Either way the board is set back to the checkpoint and
 * the samples after it run again, so the board's run stays the uninterrupted one, bit for bit, and
 * the log and CSV hold each sample once.
 */
public final class Device {
    /** Samples between checkpoints by default: each costs a read of the blob and the arena. */
    public static final int DEFAULT_CHECKPOINT_EVERY = 50;
    /** Restarts of a board within one {@link #train} call before giving up. */
    private static final int MAX_RESTARTS = 3;
    /** An attempt of a training request may take this long, plus the per-sample time (QEMU on a shared machine). */
    private static final int ATTEMPT_MILLIS = 2000, ATTEMPT_MILLIS_PER_SAMPLE = 1000;
    /**
     * Payload bytes of a request (and of a read's answer): to start with, the least and the most.
     * A frame arrives intact with probability (1 - p)^bytes on a line that garbles a share p of
     * its bytes, so the size follows the line as congestion control does: it starts small, doubles
     * after {@link #GROW_AFTER} requests in a row answered at their first attempt and halves after
     * a request that needed {@link #SHRINK_AT_RESENDS} resends or more. A sample bigger than a
     * request travels in chunks ({@code STAGE_INPUT}), then trains or is evaluated alone.
     */
    private static final int START_REQUEST_BYTES = 256, MIN_REQUEST_BYTES = 32, MAX_REQUEST_BYTES = Frame.MAX_PAYLOAD;
    private static final int GROW_AFTER = 4, SHRINK_AT_RESENDS = 2;
    /** Bytes of a chunk's header (total u32, offset u32). */
    private static final int CHUNK_HEADER = 8;
    /** Samples header of TRAIN_BATCH and EVALUATE: flags u8, count u16, input bytes u16; then per sample a label i32. */
    private static final int SAMPLES_HEADER = 5, LABEL_BYTES = 4;
    /** Most results a TRAIN_BATCH answer holds (count u16, 32 bytes each). */
    private static final int MAX_RESULTS = (Frame.MAX_PAYLOAD - 2) / Messages.SAMPLE_RESULT_BYTES;

    private final Board board;
    private final Model start;
    private final TrainingConfig config;
    /** The blob as deployed: settings and input quantization, for a resume in another process. */
    private final byte[] startBlob;
    private final boolean codes;
    private final int inputBytes;
    private final Table log = Table.create("device").addColumns(LongColumn.create("sample"), IntColumn.create("epoch"),
            IntColumn.create("index"), IntColumn.create("label"), DoubleColumn.create("loss"), IntColumn.create("predicted"),
            IntColumn.create("correct"), LongColumn.create("forward_instructions"), LongColumn.create("backward_instructions"),
            LongColumn.create("update_instructions"), LongColumn.create("selection_instructions"), DoubleColumn.create("update_fraction"));
    private Path csv;
    private ResultsCsv csvOut;
    private PrintStream progress = Progress.defaultStream();
    private int checkpointEvery = DEFAULT_CHECKPOINT_EVERY;
    private long arenaBytes;
    /** Samples trained so far: the index the board gives the next one. */
    private long done;
    /** Samples in the log: results with a lower index are replays after a restart. */
    private long recorded;
    private int epochsDone;
    /** The train call under way or failed: its first sample, samples in all (0: none) and data set size. */
    private long callBase, callSamples;
    private int callDataSize;
    private Checkpoint checkpoint;
    private int restarts;
    private int requestBytes = START_REQUEST_BYTES;
    /** Requests in a row answered at their first attempt. */
    private int cleanInARow;
    /** Set once the upload is done: from then on only the board's current device may use it. */
    private boolean deployed;
    /** Called with the samples done after each training request: tests inject a crash at a chosen point. */
    LongConsumer afterRequest = s -> {};

    /** What the host keeps to resume: samples done, the model blob and the board's state image (null: as deployed). */
    private record Checkpoint(long done, byte[] blob, byte[] state) {}

    Device(Board board, Model start, TrainingConfig config, byte[] blob) {
        this(board, start, config, blob, new Checkpoint(0, blob, null));
    }

    private Device(Board board, Model start, TrainingConfig config, byte[] startBlob, Checkpoint from) {
        this.board = board;
        this.start = start;
        this.config = config;
        this.startBlob = startBlob;
        codes = start.quantized();
        inputBytes = Arrays.stream(start.inputShape()).reduce(1, (a, b) -> a * b) * (codes ? 1 : 4);
        checkpoint = from;
        restore(checkpoint);
        deployed = true;
    }

    /**
     * The device of a run whose CSV is {@code csv}, continued on {@code board} from the checkpoint
     * beside it ({@link Board#resume(Path)}): the board gets the checkpoint's model and state, the
     * log the CSV's rows (a torn last row, from a process killed mid-write, is cut off).
     */
    static Device resume(Board board, Path csv) {
        CheckpointFile.Saved s = CheckpointFile.read(CheckpointFile.beside(csv));
        Device d = new Device(board, ModelBlob.read(s.startBlob()), ModelBlob.readConfig(s.startBlob()), s.startBlob(),
                new Checkpoint(s.done(), s.blob(), s.state()));
        d.epochsDone = s.epochsDone();
        d.callBase = s.callBase();
        d.callSamples = s.callSamples();
        d.callDataSize = s.callDataSize();
        d.csv = csv;
        d.readLog();
        return d;
    }

    /** Where the per-sample CSV goes (appended to); by default {@code out/device-<time>.csv}. Returns this. */
    public Device csv(Path path) {
        closeCsv();
        csv = path;
        return this;
    }

    /** Where the progress bar goes (null: nowhere). Returns this. */
    public Device progress(PrintStream out) {
        progress = out;
        return this;
    }

    /** Samples between checkpoints (0: only the deployed state). Returns this. */
    public Device checkpointEvery(int samples) {
        if (samples < 0) throw new IllegalArgumentException("checkpointEvery must be >= 0, got " + samples);
        checkpointEvery = samples;
        return this;
    }

    /** The settings the board trains with, as deployed. */
    public TrainingConfig config() { return config; }

    /** {@link #train(Dataset, int)} for the configuration's epochs. */
    public Table train(Dataset data) { return train(data, config.epochs()); }

    /**
     * Trains {@code epochs} epochs of {@code data} on the board, continuing the epochs of earlier
     * calls, and returns the log: one row per sample, all calls so far.
     */
    public Table train(Dataset data, int epochs) {
        if (data.sampleSize() * (codes ? 1 : 4) != inputBytes) {
            throw new IllegalArgumentException(data + " has " + data.sampleSize() + " values per sample; the model takes " + Arrays.toString(start.inputShape()));
        }
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        int n = data.size();
        boolean restore = false;
        if (callSamples > 0) { // a call that failed (or a resumed process's): continue it from the checkpoint
            if (n != callDataSize || (long) epochs * n != callSamples) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "an interrupted train call of %d samples (%d per epoch) is to be"
                        + " continued from sample %d: call train with the same data and epochs", callSamples, callDataSize, checkpoint.done()));
            }
            restore = true;
        } else {
            if (checkpoint.done() != done) take(); // the resume point is inside this call
            callBase = done;
            callSamples = (long) epochs * n;
            callDataSize = n;
            save();
        }
        long base = callBase, total = callSamples;
        Progress bar = new Progress(progress, "device " + config.precision(), total);
        int restartsHere = 0;
        double lossSum = 0;
        int correct = 0;
        while (done - base < total) {
            try {
                if (restore) {
                    restore(checkpoint);
                    restore = false;
                }
                int epoch = epochsDone + 1 + (int) ((done - base) / n), k = (int) ((done - base) % n);
                int[] order = Dataset.permutation(n, config.seed() * 1_000_003L + epoch);
                long untilCheckpoint = checkpointEvery == 0 ? Long.MAX_VALUE : checkpoint.done() + checkpointEvery - done;
                int count = (int) Math.min(Math.min(samplesPerRequest(MAX_RESULTS), n - k), untilCheckpoint);
                Messages.SampleResult[] results = trainBatch(data, order, k, count, k + count == n);
                List<Map<String, String>> rows = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    Messages.SampleResult r = results[i];
                    if (r.sample() < recorded) continue; // a replay after a restart: logged already
                    int label = data.label(order[k + i]);
                    rows.add(record(r, epoch, order[k + i], label));
                    lossSum += r.loss();
                    if (r.predicted() == label) correct++;
                }
                csvOut().append(rows);
                done += count;
                afterRequest.accept(done);
                if (checkpointEvery > 0 && done - checkpoint.done() >= checkpointEvery && done - base < total) take();
            } catch (UncheckedIOException e) {
                recover(e, ++restartsHere);
                restore = true;
            }
            long logged = recorded - base;
            bar.update(done - base, logged == 0 ? "" : String.format(Locale.ROOT, "loss %.3f, acc %.3f", lossSum / logged, (double) correct / logged));
        }
        epochsDone += epochs;
        callSamples = 0;
        return log;
    }

    /**
     * The predicted class of each sample of {@code data} (an evaluation: ranges stay, its own random
     * stream); for an MSE model the bit patterns of its reconstruction errors ({@link #reconstructionErrors}).
     */
    public int[] predict(Dataset data) {
        int[] predicted = new int[data.size()];
        for (int at = 0, count; at < data.size(); at += count) {
            if (!wholeSampleFits()) { // a noisy line: one sample in chunks, then evaluated alone
                count = 1;
                stage(data, at, "evaluate sample " + at);
                byte[] p = new Messages.EvaluateStaged(at == 0 ? Messages.EVAL_FIRST : 0).encode();
                predicted[at] = Messages.Predictions.decode(call(Messages.EVALUATE_STAGED, p, "evaluate sample " + at, attemptMillis(1))).predicted()[0];
                continue;
            }
            count = Math.min(samplesPerRequest((Frame.MAX_PAYLOAD - 2) / 4), data.size() - at);
            int[] idx = new int[count];
            for (int i = 0; i < count; i++) idx[i] = at + i;
            byte[] p = samples(at == 0 ? Messages.EVAL_FIRST : 0, data, idx);
            int[] got = Messages.Predictions.decode(call(Messages.EVALUATE, p, "evaluate " + count + " samples", attemptMillis(count))).predicted();
            System.arraycopy(got, 0, predicted, at, count);
        }
        return predicted;
    }

    /** The board's reconstruction error of each sample (a model trained with {@link fqt.nn.Loss#MSE}): anomaly scores. */
    public float[] reconstructionErrors(Dataset data) {
        if (config.loss() != fqt.nn.Loss.MSE) throw new IllegalStateException("reconstruction errors need a model trained with the MSE loss; this one is a classifier (use evaluate)");
        int[] bits = predict(data);
        float[] e = new float[bits.length];
        for (int i = 0; i < e.length; i++) e[i] = Float.intBitsToFloat(bits[i]);
        return e;
    }

    /**
     * The board's metric on {@code test}: accuracy for a classifier, the mean reconstruction error
     * for a model trained with the MSE loss (the simulator's {@code TrainingConfig.evaluate}).
     */
    public double evaluate(Dataset test) {
        if (config.loss() == fqt.nn.Loss.MSE) {
            double sum = 0;
            for (float e : reconstructionErrors(test)) sum += e;
            return sum / test.size();
        }
        int[] p = predict(test);
        int correct = 0;
        for (int i = 0; i < p.length; i++) if (p[i] == test.label(i)) correct++;
        return (double) correct / p.length;
    }

    /** The board's model as it is now (weights, biases, quantization parameters, ranges), read back as its model blob. */
    public Model pullWeights() {
        return ModelBlob.read(pullBlob(), start);
    }

    /** The model blob the board writes of its current state: equal to {@code ModelBlob.write(simulated, training)} when bit-exact. */
    public byte[] pullBlob() {
        return readImage(Messages.READ_WEIGHTS, "read weights");
    }

    /** The board's totals: time per phase, samples, arena size, selections per layer. */
    public Messages.Stats stats() {
        return Messages.Stats.decode(call(Messages.READ_STATS, new byte[0], "read stats", ATTEMPT_MILLIS));
    }

    /** One row per sample trained, as the board measured it. */
    public Table log() {
        return log;
    }

    /** The CSV the log is appended to (null until the first sample). */
    public Path csvPath() {
        return csv;
    }

    /** The arena the board laid out for the model, in bytes (equal to {@code Memory.plan(...).ramBytes()}). */
    public long arenaBytes() {
        return arenaBytes;
    }

    /** The payload bytes requests have now: what the link's measured error rate allows (see {@code START_REQUEST_BYTES}). */
    public int requestBytes() {
        return requestBytes;
    }

    /** Board restarts (crashes, resets) this device has recovered from. */
    public int restarts() {
        return restarts;
    }

    public Board board() {
        return board;
    }

    /**
     * A crashed virtual board is started again, a reset one answers "no model"; a real board that
     * went silent gets its HELLO resent until it answers. Anything else is the caller's error.
     */
    private void recover(UncheckedIOException e, int attempt) {
        boolean reset = e instanceof BoardStatusException s && s.status() == Messages.ERR_NO_MODEL;
        boolean crashed = board.crashed();
        boolean silentRealBoard = e instanceof BoardTimeoutException && board.qemuPid() < 0;
        if (!reset && !crashed && !silentRealBoard) throw e;
        if (attempt > MAX_RESTARTS) {
            throw new UncheckedIOException(board + " failed " + attempt + " times in one training run; last: " + e.getMessage(),
                    new IOException(e));
        }
        if (progress != null) {
            progress.printf("%n%s: %s; restarting and resuming from the checkpoint at sample %d%n", board,
                    reset ? "the board was reset" : crashed ? "the board crashed" : "the board went silent", checkpoint.done());
        }
        if (crashed || silentRealBoard) board.restart();
        restarts++;
    }

    /** Loads the checkpoint's blob and state and tells the board where the run stands. */
    private void restore(Checkpoint c) {
        arenaBytes = load(Messages.LOAD_MODEL, c.blob(), "load model");
        if (c.state() != null) load(Messages.WRITE_STATE, c.state(), "write state");
        call(Messages.CONFIGURE, new Messages.Configure(codes ? Messages.INPUT_CODES : Messages.INPUT_FLOAT32, c.done()).encode(),
                "configure", ATTEMPT_MILLIS);
        done = c.done();
    }

    private Checkpoint take() {
        Checkpoint c = new Checkpoint(done, pullBlob(), readImage(Messages.READ_STATE, "read state"));
        checkpoint = c;
        save();
        return c;
    }

    /** The resume point on disk, beside the CSV (whose default path is chosen here if none was given). */
    private void save() {
        CheckpointFile.write(CheckpointFile.beside(csvFile()), new CheckpointFile.Saved(startBlob, checkpoint.done(), checkpoint.blob(),
                checkpoint.state(), epochsDone, callBase, callSamples, callDataSize));
    }

    /** The log's rows from the CSV of a resumed run (a torn last row is cut off the file), checked to follow each other. */
    private void readLog() {
        for (Map<String, String> row : csvOut().rows()) {
            long sample = Long.parseLong(row.get("sample"));
            if (sample != recorded) throw new IllegalArgumentException(csv + ": sample " + sample + " where " + recorded + " was due");
            for (Column<?> c : log.columns()) c.appendCell(row.get(c.name()));
            recorded = sample + 1;
        }
    }

    /** Sends an image in chunks; returns the arena bytes the last chunk's answer reports. */
    long load(int type, byte[] image, String what) {
        long arena = 0;
        for (int at = 0, n; at < image.length; at += n) {
            n = Math.min(image.length - at, requestBytes - CHUNK_HEADER);
            byte[] data = Arrays.copyOfRange(image, at, at + n);
            byte[] p = new Messages.LoadModel(image.length, at, data).encode();
            try {
                // The last chunk loads the model: validation and arena layout take a moment.
                arena = Messages.LoadAck.decode(call(type, p, what, ATTEMPT_MILLIS)).arenaBytes();
            } catch (BoardStatusException e) {
                if (e.status() != Messages.ERR_CAPACITY) throw e;
                throw new IllegalArgumentException("the model is too big for " + board + ": a blob of " + image.length
                        + " bytes needing an arena of " + fqt.memory.Memory.plan(start, config).ramBytes() + " bytes; the board holds "
                        + (at == 0 ? "blobs of up to " : "an arena of ") + e.detail() + " bytes", e);
            }
        }
        return arena;
    }

    byte[] readImage(int type, String what) {
        byte[] image = null;
        int at = 0;
        do {
            byte[] p = new Messages.ReadWeights(at, requestBytes - CHUNK_HEADER).encode();
            Messages.WeightsChunk c = Messages.WeightsChunk.decode(call(type, p, what, ATTEMPT_MILLIS));
            if (image == null) image = new byte[Math.toIntExact(c.totalBytes())];
            if (c.offset() != at || c.data().length == 0 && at < image.length) throw Link.ioError(what + ": the board sent offset " + c.offset() + " for " + at);
            System.arraycopy(c.data(), 0, image, at, c.data().length);
            at += c.data().length;
        } while (at < image.length);
        return image;
    }

    private Messages.SampleResult[] trainBatch(Dataset data, int[] order, int k, int count, boolean endsEpoch) {
        int flags = endsEpoch ? Messages.SAMPLE_LAST_OF_EPOCH : 0;
        String what = "train samples " + done + ".." + (done + count - 1);
        byte[] answer;
        if (wholeSampleFits()) {
            byte[] p = samples(flags, data, Arrays.copyOfRange(order, k, k + count));
            answer = call(Messages.TRAIN_BATCH, p, what, attemptMillis(count));
        } else { // a noisy line: the sample in chunks, then trained alone (count is 1: samplesPerRequest)
            stage(data, order[k], what);
            byte[] p = new Messages.TrainSample(flags, data.label(order[k]), new byte[0]).encode();
            answer = call(Messages.TRAIN_STAGED, p, what, attemptMillis(1));
        }
        Messages.SampleResult[] r = Messages.Results.decode(answer).results();
        if (r.length != count || r[0].sample() != done) {
            throw Link.ioError(what + ": the board answered " + r.length + " results from sample " + (r.length > 0 ? r[0].sample() : -1));
        }
        return r;
    }

    /** One request; its resends set the size of the requests after it (see {@code START_REQUEST_BYTES}). */
    private byte[] call(int type, byte[] payload, String what, int attemptMillis) {
        if (deployed && !board.holds(this)) {
            throw new IllegalStateException("this device handle is stale: " + board + " was deployed again since; use the Device that the last deploy returned");
        }
        long resends = board.linkStats().resends();
        try {
            byte[] answer = board.call(type, payload, what, attemptMillis);
            adapt(board.linkStats().resends() - resends);
            return answer;
        } catch (RuntimeException e) {
            adapt(SHRINK_AT_RESENDS);
            throw e;
        }
    }

    private void adapt(long resends) {
        if (resends >= SHRINK_AT_RESENDS) {
            requestBytes = Math.max(MIN_REQUEST_BYTES, requestBytes / 2);
            cleanInARow = 0;
        } else if (resends == 0 && ++cleanInARow >= GROW_AFTER) {
            requestBytes = Math.min(MAX_REQUEST_BYTES, 2 * requestBytes);
            cleanInARow = 0;
        }
    }

    /** Whether one sample (with its label and the samples header) fits a request of the current size. */
    private boolean wholeSampleFits() {
        return requestBytes - SAMPLES_HEADER >= LABEL_BYTES + inputBytes;
    }

    /** Samples that fit a request (at least one), at most {@code max}. */
    private int samplesPerRequest(int max) {
        return Math.max(1, Math.min(max, (requestBytes - SAMPLES_HEADER) / (LABEL_BYTES + inputBytes)));
    }

    /** Sends sample {@code index}'s input to the board in request-sized chunks (STAGE_INPUT). */
    private void stage(Dataset data, int index, String what) {
        byte[] in = input(data, index, new float[data.sampleSize()]);
        for (int at = 0, n; at < in.length; at += n) {
            n = Math.min(in.length - at, requestBytes - CHUNK_HEADER);
            byte[] p = new Messages.LoadModel(in.length, at, Arrays.copyOfRange(in, at, at + n)).encode();
            call(Messages.STAGE_INPUT, p, what + ": input bytes " + at + ".." + (at + n - 1), ATTEMPT_MILLIS);
        }
    }

    private static int attemptMillis(int samples) {
        return ATTEMPT_MILLIS + ATTEMPT_MILLIS_PER_SAMPLE * samples;
    }

    /** A samples payload: the inputs as uint8 codes quantized as the model quantizes its input (to nearest), or float32. */
    private byte[] samples(int flags, Dataset data, int[] indices) {
        int[] labels = new int[indices.length];
        byte[][] inputs = new byte[indices.length][];
        float[] x = new float[data.sampleSize()];
        for (int i = 0; i < indices.length; i++) {
            labels[i] = data.label(indices[i]);
            inputs[i] = input(data, indices[i], x);
        }
        return new Messages.Samples(flags, inputBytes, labels, inputs).encode();
    }

    /** Sample {@code index}'s input as the board takes it ({@code x}: scratch of the sample's size). */
    private byte[] input(Dataset data, int index, float[] x) {
        data.copySample(index, x);
        if (codes) {
            byte[] q = new byte[x.length];
            start.inputParams().quantize(x, q, Rounding.NEAREST, null);
            return q;
        }
        ByteBuffer b = ByteBuffer.allocate(4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) b.putFloat(v);
        return b.array();
    }

    /** Adds a result to the log; returns its CSV row. */
    private Map<String, String> record(Messages.SampleResult r, int epoch, int index, int label) {
        long[] t = r.ticks();
        log.longColumn("sample").append(r.sample());
        log.intColumn("epoch").append(epoch);
        log.intColumn("index").append(index);
        log.intColumn("label").append(label);
        log.doubleColumn("loss").append(r.loss());
        log.intColumn("predicted").append(r.predicted());
        log.intColumn("correct").append(r.predicted() == label ? 1 : 0);
        log.longColumn("forward_instructions").append(t[Messages.PHASE_FORWARD]);
        log.longColumn("backward_instructions").append(t[Messages.PHASE_BACKWARD]);
        log.longColumn("update_instructions").append(t[Messages.PHASE_UPDATE]);
        log.longColumn("selection_instructions").append(t[Messages.PHASE_SELECTION]);
        log.doubleColumn("update_fraction").append(r.updatedFraction());
        recorded = r.sample() + 1;
        Object[] values = {r.sample(), epoch, index, label, Float.toString(r.loss()), r.predicted(), r.predicted() == label ? 1 : 0,
                t[0], t[1], t[2], t[3], Float.toString(r.updatedFraction())};
        Map<String, String> row = new LinkedHashMap<>();
        for (int c = 0; c < values.length; c++) row.put(log.columnNames().get(c), String.valueOf(values[c]));
        return row;
    }

    /** The CSV's path; the default {@code out/device-<time>.csv} is chosen the first time it is needed. */
    private Path csvFile() {
        if (csv == null) csv = Path.of("out", "device-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")) + ".csv");
        return csv;
    }

    /** The CSV, opened (and its rows read) the first time it is needed; every row measured is on disk. */
    private ResultsCsv csvOut() {
        if (csvOut == null) csvOut = new ResultsCsv(csvFile(), "device CSV", log.columnNames(), Set.copyOf(log.columnNames()));
        return csvOut;
    }

    private void closeCsv() {
        if (csvOut == null) return;
        csvOut.close();
        csvOut = null;
    }
}
