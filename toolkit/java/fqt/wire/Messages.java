package fqt.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Requests, responses and their payloads ({@code firmware/proto/PROTOCOL.md}); mirrors
 * {@code firmware/proto/messages.c}. All numbers are little-endian; unsigned 32-bit fields are
 * {@code long} here. Each payload record has {@code encode()} and a static {@code decode(byte[])}
 * that checks the layout uses every byte, failing with {@link WireException.Kind#PAYLOAD}.
 */
public final class Messages {
    private Messages() {}

    // Request types; a response has the request's type | Frame.RESPONSE_BIT.
    /** Empty; answer {@link Hello}. The host's first request. */
    public static final int HELLO = 0x01;
    /** Empty; answer {@link Info}. */
    public static final int INFO = 0x02;
    /** Any bytes; answer the same bytes. */
    public static final int ECHO = 0x03;
    /** Empty; answer empty: model, settings and statistics dropped. */
    public static final int RESET = 0x04;
    /** {@link LoadModel}; answer {@link LoadAck}. */
    public static final int LOAD_MODEL = 0x10;
    /** {@link Configure}; answer empty. */
    public static final int CONFIGURE = 0x11;
    /** {@link TrainSample}; answer {@link SampleResult}. */
    public static final int TRAIN_SAMPLE = 0x12;
    /** {@link Samples}; answer {@link Results}. */
    public static final int TRAIN_BATCH = 0x13;
    /** {@link Samples}; answer {@link Predictions}. */
    public static final int EVALUATE = 0x14;
    /** {@link ReadWeights}; answer {@link WeightsChunk}. */
    public static final int READ_WEIGHTS = 0x15;
    /** Empty; answer {@link Stats}. */
    public static final int READ_STATS = 0x16;
    /**
     * {@link ReadWeights}; answer {@link WeightsChunk}: a checkpoint, the board's whole training
     * state as an image only the board reads (offset 0 takes it), restored with {@link #WRITE_STATE}.
     */
    public static final int READ_STATE = 0x17;
    /** {@link LoadModel} chunks of a {@link #READ_STATE} image; answer {@link LoadAck}. */
    public static final int WRITE_STATE = 0x18;
    /**
     * One sample in several frames, for a line too noisy to carry a whole sample in one:
     * {@link LoadModel} chunks of its input (total the model's input bytes; answer {@link LoadAck}),
     * then {@link #TRAIN_STAGED} ({@link TrainSample} with no input; answer {@link Results} of one)
     * or {@link #EVALUATE_STAGED} ({@link EvaluateStaged}; answer {@link Predictions} of one) runs it.
     */
    public static final int STAGE_INPUT = 0x19;
    public static final int TRAIN_STAGED = 0x1A;
    public static final int EVALUATE_STAGED = 0x1B;
    /**
     * Sent by the board alone, as type 0xFF with seq 0, for a frame it could not accept: status
     * {@link #ERR_BAD_FRAME}, detail the frame check that failed ({@link WireException.Kind#frameStatus()}).
     */
    public static final int NAK = 0x7F;

    // Response statuses. Every response other than OK carries a 4-byte detail (i32).
    public static final int OK = 0x00;
    /** NAK; detail: the frame check that failed. */
    public static final int ERR_BAD_FRAME = 0x01;
    public static final int ERR_UNKNOWN_TYPE = 0x02;
    /** The payload does not fit the type's layout. */
    public static final int ERR_BAD_PAYLOAD = 0x03;
    /** A type this firmware does not implement. */
    public static final int ERR_UNSUPPORTED = 0x04;
    /** The request needs a loaded model. */
    public static final int ERR_NO_MODEL = 0x05;
    /** The model blob exceeds the board; detail: capacity in bytes. */
    public static final int ERR_CAPACITY = 0x06;
    /** A load chunk out of order; detail: the offset expected. */
    public static final int ERR_OFFSET = 0x07;
    /** The training core refused; detail: its fqt_status code. */
    public static final int ERR_REFUSED = 0x08;

    public static final int DETAIL_BYTES = 4;

    /** {@link Configure#inputFormat()}: uint8 codes, quantized with the model's input parameters. */
    public static final int INPUT_CODES = 0;
    /** {@link Configure#inputFormat()}: float32 values. */
    public static final int INPUT_FLOAT32 = 1;

    /** Training flag: the (last) sample ends the epoch and its batch. */
    public static final int SAMPLE_LAST_OF_EPOCH = 0x01;
    /** Evaluate flag: these samples start an evaluation (reseeds it). */
    public static final int EVAL_FIRST = 0x01;

    /** {@link Stats#timeUnit()}: QEMU instructions under -icount shift=0. */
    public static final int TIME_INSTRUCTIONS = 0;
    /** {@link Stats#timeUnit()}: DWT cycles. */
    public static final int TIME_CYCLES = 1;
    /** {@link Stats#timeUnit()}: microseconds (Cortex-M0+ timer). */
    public static final int TIME_MICROS = 2;

    /** Phases of a training step, the order of every per-phase array. */
    public static final int PHASE_FORWARD = 0, PHASE_BACKWARD = 1, PHASE_UPDATE = 2, PHASE_SELECTION = 3, PHASES = 4;

    public static final int SAMPLE_RESULT_BYTES = 32;

    private static final String[] STATUS_NAMES = {
        "ok", "bad frame", "unknown request type", "bad payload", "unsupported by this firmware", "no model loaded",
        "model too big for the board", "load chunk out of order", "refused by the training core"};

    /** A status in words, for error messages. */
    public static String statusName(int status) {
        return status < STATUS_NAMES.length ? STATUS_NAMES[status] : "status " + status;
    }

    /** The 4-byte detail of a response whose status is not {@link #OK}. */
    public static byte[] encodeDetail(int detail) {
        return new Out().i32(detail).bytes();
    }

    public static int decodeDetail(byte[] p) {
        In in = new In(p);
        int detail = in.i32();
        in.done();
        return detail;
    }

    /** Answer to HELLO: the board's protocol version and the largest payload it sends and accepts. */
    public record Hello(int version, int maxPayload) {
        public byte[] encode() {
            return new Out().u8(version).u16(maxPayload).bytes();
        }

        public static Hello decode(byte[] p) {
            In in = new In(p);
            Hello m = new Hello(in.u8(), in.u16());
            in.done();
            return m;
        }
    }

    /**
     * Answer to INFO: strings and the build id are u8-length-prefixed. {@code arenaCapacity} is the
     * largest training arena the board holds, {@code blobCapacity} the largest model blob, {@code
     * board} the board profile its firmware was linked for ({@code nrf52840}, or the QEMU machine),
     * {@code stackUsed} the deepest its stack has gone since reset.
     */
    public record Info(long clockHz, long ramBytes, String core, String firmwareVersion, byte[] buildId, long arenaCapacity,
            long blobCapacity, String board, long stackUsed) {
        public byte[] encode() {
            return new Out().u32(clockHz).u32(ramBytes).counted(utf8(core)).counted(utf8(firmwareVersion)).counted(buildId)
                    .u32(arenaCapacity).u32(blobCapacity).counted(utf8(board)).u32(stackUsed).bytes();
        }

        public static Info decode(byte[] p) {
            In in = new In(p);
            Info m = new Info(in.u32(), in.u32(), text(in.counted()), text(in.counted()), in.counted(), in.u32(), in.u32(),
                    text(in.counted()), in.u32());
            in.done();
            return m;
        }
    }

    /**
     * One chunk of a model blob ({@link ModelBlob} bytes). Chunks go in order from offset 0, which
     * starts a new load; the last one loads the model.
     */
    public record LoadModel(long totalBytes, long offset, byte[] data) {
        public byte[] encode() {
            return new Out().u32(totalBytes).u32(offset).raw(data).bytes();
        }

        public static LoadModel decode(byte[] p) {
            In in = new In(p);
            LoadModel m = new LoadModel(in.u32(), in.u32(), in.rest());
            in.done();
            return m;
        }
    }

    /** Answer to a chunk: the bytes held so far; arenaBytes is 0 until the last chunk has loaded the model. */
    public record LoadAck(long receivedBytes, long capacityBytes, long arenaBytes) {
        public byte[] encode() {
            return new Out().u32(receivedBytes).u32(capacityBytes).u32(arenaBytes).bytes();
        }

        public static LoadAck decode(byte[] p) {
            In in = new In(p);
            LoadAck m = new LoadAck(in.u32(), in.u32(), in.u32());
            in.done();
            return m;
        }
    }

    /**
     * Session settings the model blob does not hold: the input format ({@link #INPUT_CODES} or
     * {@link #INPUT_FLOAT32}) and the index the board gives the next training sample.
     */
    public record Configure(int inputFormat, long nextSample) {
        public byte[] encode() {
            return new Out().u8(inputFormat).u32(nextSample).bytes();
        }

        public static Configure decode(byte[] p) {
            In in = new In(p);
            Configure m = new Configure(in.u8(), in.u32());
            if (m.inputFormat > INPUT_FLOAT32) throw badPayload("input format " + m.inputFormat);
            in.done();
            return m;
        }
    }

    /** {@link #EVALUATE_STAGED}'s request: flags u8 ({@link #EVAL_FIRST}). */
    public record EvaluateStaged(int flags) {
        public byte[] encode() {
            return new Out().u8(flags).bytes();
        }

        public static EvaluateStaged decode(byte[] p) {
            In in = new In(p);
            EvaluateStaged m = new EvaluateStaged(in.u8());
            in.done();
            return m;
        }
    }

    /** One training sample: flags u8, label i32, the model's input. */
    public record TrainSample(int flags, int label, byte[] input) {
        public byte[] encode() {
            return new Out().u8(flags).i32(label).raw(input).bytes();
        }

        public static TrainSample decode(byte[] p) {
            In in = new In(p);
            TrainSample m = new TrainSample(in.u8(), in.i32(), in.rest());
            in.done();
            return m;
        }
    }

    /** What one training sample did (32 bytes); ticks per phase in the stats' time unit. */
    public record SampleResult(long sample, float loss, int predicted, long[] ticks, float updatedFraction) {
        public byte[] encode() {
            return put(new Out()).bytes();
        }

        public static SampleResult decode(byte[] p) {
            In in = new In(p);
            SampleResult m = get(in);
            in.done();
            return m;
        }

        private Out put(Out out) {
            out.u32(sample).f32(loss).i32(predicted);
            for (long t : ticks) out.u32(t);
            return out.f32(updatedFraction);
        }

        private static SampleResult get(In in) {
            long sample = in.u32();
            float loss = in.f32();
            int predicted = in.i32();
            long[] ticks = new long[PHASES];
            for (int i = 0; i < PHASES; i++) ticks[i] = in.u32();
            return new SampleResult(sample, loss, predicted, ticks, in.f32());
        }
    }

    /**
     * Samples of one input size for TRAIN_BATCH and EVALUATE: flags u8, count u16, input bytes u16,
     * then per sample its label (i32) and input.
     */
    public record Samples(int flags, int inputBytes, int[] labels, byte[][] inputs) {
        public byte[] encode() {
            Out out = new Out().u8(flags).u16(labels.length).u16(inputBytes);
            for (int i = 0; i < labels.length; i++) {
                if (inputs[i].length != inputBytes) throw new IllegalArgumentException("sample " + i + " has " + inputs[i].length + " input bytes, not " + inputBytes);
                out.i32(labels[i]).raw(inputs[i]);
            }
            return out.bytes();
        }

        public static Samples decode(byte[] p) {
            In in = new In(p);
            int flags = in.u8();
            int count = in.u16();
            int inputBytes = in.u16();
            if (count == 0) throw badPayload("no samples");
            int[] labels = new int[count];
            byte[][] inputs = new byte[count][];
            for (int i = 0; i < count; i++) {
                labels[i] = in.i32();
                inputs[i] = in.take(inputBytes);
            }
            in.done();
            return new Samples(flags, inputBytes, labels, inputs);
        }
    }

    /** Answer to TRAIN_BATCH: count u16, then the sample results. */
    public record Results(SampleResult[] results) {
        public byte[] encode() {
            Out out = new Out().u16(results.length);
            for (SampleResult r : results) r.put(out);
            return out.bytes();
        }

        public static Results decode(byte[] p) {
            In in = new In(p);
            SampleResult[] results = new SampleResult[in.u16()];
            for (int i = 0; i < results.length; i++) results[i] = SampleResult.get(in);
            in.done();
            return new Results(results);
        }
    }

    /** Answer to EVALUATE: count u16, then the predicted classes (i32). */
    public record Predictions(int[] predicted) {
        public byte[] encode() {
            Out out = new Out().u16(predicted.length);
            for (int c : predicted) out.i32(c);
            return out.bytes();
        }

        public static Predictions decode(byte[] p) {
            In in = new In(p);
            int[] predicted = new int[in.u16()];
            for (int i = 0; i < predicted.length; i++) predicted[i] = in.i32();
            in.done();
            return new Predictions(predicted);
        }
    }

    /** A part of the blob of the model's current state: offset u32, max bytes u16. */
    public record ReadWeights(long offset, int maxBytes) {
        public byte[] encode() {
            return new Out().u32(offset).u16(maxBytes).bytes();
        }

        public static ReadWeights decode(byte[] p) {
            In in = new In(p);
            ReadWeights m = new ReadWeights(in.u32(), in.u16());
            in.done();
            return m;
        }
    }

    /** total bytes u32 (of the whole blob), offset u32, data. */
    public record WeightsChunk(long totalBytes, long offset, byte[] data) {
        public byte[] encode() {
            return new Out().u32(totalBytes).u32(offset).raw(data).bytes();
        }

        public static WeightsChunk decode(byte[] p) {
            In in = new In(p);
            WeightsChunk m = new WeightsChunk(in.u32(), in.u32(), in.rest());
            in.done();
            return m;
        }
    }

    /**
     * Answer to READ_STATS: time unit u8, samples u32, arena bytes u32, arena high-water bytes u32,
     * ticks u64 per phase (totals over the run), layers u16, then per layer the number of times one
     * of its structures was selected for update (u32).
     */
    public record Stats(int timeUnit, long samples, long arenaBytes, long arenaHighWaterBytes, long[] ticks, long[] selections) {
        public byte[] encode() {
            Out out = new Out().u8(timeUnit).u32(samples).u32(arenaBytes).u32(arenaHighWaterBytes);
            for (long t : ticks) out.u64(t);
            out.u16(selections.length);
            for (long s : selections) out.u32(s);
            return out.bytes();
        }

        public static Stats decode(byte[] p) {
            In in = new In(p);
            int timeUnit = in.u8();
            long samples = in.u32();
            long arenaBytes = in.u32();
            long highWater = in.u32();
            long[] ticks = new long[PHASES];
            for (int i = 0; i < PHASES; i++) ticks[i] = in.u64();
            long[] selections = new long[in.u16()];
            for (int i = 0; i < selections.length; i++) selections[i] = in.u32();
            in.done();
            return new Stats(timeUnit, samples, arenaBytes, highWater, ticks, selections);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static WireException badPayload(String why) {
        return new WireException(WireException.Kind.PAYLOAD, "bad payload: " + why);
    }

    /** Appends little-endian values. */
    private static final class Out {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();

        Out u8(int v) {
            b.write(v);
            return this;
        }

        Out u16(int v) {
            return u8(v).u8(v >> 8);
        }

        Out u32(long v) {
            return u16((int) v).u16((int) (v >> 16));
        }

        Out i32(int v) {
            return u32(v);
        }

        Out u64(long v) {
            return u32(v).u32(v >>> 32);
        }

        Out f32(float v) {
            return i32(Float.floatToRawIntBits(v));
        }

        Out raw(byte[] v) {
            b.writeBytes(v);
            return this;
        }

        /** u8 length, then the bytes. */
        Out counted(byte[] v) {
            if (v.length > 255) throw new IllegalArgumentException(v.length + " bytes do not fit a u8 length");
            return u8(v.length).raw(v);
        }

        byte[] bytes() {
            return b.toByteArray();
        }
    }

    /** Reads little-endian values; reading past the end is a bad payload. */
    private static final class In {
        private final ByteBuffer b;

        In(byte[] p) {
            b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
        }

        int u8() {
            return take(1)[0] & 0xFF;
        }

        int u16() {
            return u8() | u8() << 8;
        }

        long u32() {
            return u16() | (long) u16() << 16;
        }

        int i32() {
            return (int) u32();
        }

        long u64() {
            return u32() | u32() << 32;
        }

        float f32() {
            return Float.intBitsToFloat(i32());
        }

        byte[] take(int n) {
            if (n > b.remaining()) throw badPayload("wants " + n + " more bytes at byte " + b.position() + ", " + b.remaining() + " left");
            byte[] v = new byte[n];
            b.get(v);
            return v;
        }

        byte[] counted() {
            return take(u8());
        }

        byte[] rest() {
            return take(b.remaining());
        }

        /** The layout read every byte and no more. */
        void done() {
            if (b.hasRemaining()) throw badPayload(b.remaining() + " bytes left over");
        }
    }
}
