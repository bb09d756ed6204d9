package fqt.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Writes {@value #FILE}, the bytes both sides of the protocol are tested against: Java in
 * {@link WireVectorsTest}, C in {@code firmware/proto/tests/proto_test.c}. Run from the repository
 * root after a deliberate protocol change (then raise {@link Frame#VERSION} if old boards can no
 * longer talk):
 *
 * <pre>java -cp CLASSES:TEST_CLASSES fqt.wire.WireVectors</pre>
 *
 * A block is a first line {@code KIND NAME}, then {@code key value} lines, then a blank line. Kinds:
 * {@code crc32c} (data, crc), {@code cobs} (data, encoded), {@code frame} (type, status, seq,
 * payload, wire, then the payload's fields as {@code field name value}), {@code bad_frame} (wire,
 * error) and {@code bad_payload} (type, status, payload, error). {@code wire} is what goes on the
 * line, its final 0x00 pair included; numbers are decimal, bytes hex ({@code -} for none).
 */
public final class WireVectors {
    static final String FILE = "testdata/wire/vectors.txt";
    static final int GENERATOR_VERSION = 1;

    private final StringBuilder out = new StringBuilder();

    public static void main(String[] args) throws IOException {
        Path file = Path.of(FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, generate());
        System.out.println("wrote " + file.toAbsolutePath());
    }

    static String generate() {
        WireVectors v = new WireVectors();
        v.out.append("# Wire protocol test vectors (firmware/proto/PROTOCOL.md), protocol version ").append(Frame.VERSION)
                .append(", generator version ").append(GENERATOR_VERSION).append(".\n")
                .append("# Written by fqt.wire.WireVectors (src/test/java); read by fqt.wire.WireVectorsTest and\n")
                .append("# firmware/proto/tests/proto_test.c. Do not edit: regenerate.\n\n");
        v.crcs();
        v.cobs();
        v.frames();
        v.badFrames();
        v.badPayloads();
        return v.out.toString();
    }

    private void crcs() {
        crc("check", "123456789".getBytes(StandardCharsets.US_ASCII));
        crc("empty", new byte[0]);
        crc("zeros_32", new byte[32]);
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xFF);
        crc("ones_32", ones);
        crc("ramp_256", ramp(256, 0));
    }

    private void crc(String name, byte[] data) {
        CRC32C reference = new CRC32C();
        reference.update(data);
        block("crc32c", name);
        line("data", WireFields.hex(data));
        line("crc", String.format("%08x", reference.getValue()));
        end();
    }

    private void cobs() {
        cobs("empty", new byte[0]);
        cobs("one_zero", new byte[] {0});
        cobs("two_zeros", new byte[] {0, 0});
        cobs("zero_inside", new byte[] {0x11, 0x22, 0x00, 0x33});
        cobs("no_zero", new byte[] {0x11, 0x22, 0x33, 0x44});
        cobs("trailing_zeros", new byte[] {0x11, 0x00, 0x00, 0x00});
        cobs("run_253", nonZero(253));
        cobs("run_254", nonZero(254));
        cobs("run_255", nonZero(255));
        byte[] run254Zero = Arrays.copyOf(nonZero(254), 255);
        cobs("run_254_then_zero", run254Zero);
        cobs("run_508", nonZero(508));
        cobs("ramp_512", ramp(512, 0));
    }

    private void cobs(String name, byte[] data) {
        block("cobs", name);
        line("data", WireFields.hex(data));
        line("encoded", WireFields.hex(Cobs.encode(data)));
        end();
    }

    private void frames() {
        int resp = Frame.RESPONSE_BIT;
        frame("hello_request", Messages.HELLO, 0, 0x1234, new WireFields.Empty());
        frame("hello_response", Messages.HELLO | resp, 0, 0x1234, new Messages.Hello(Frame.VERSION, Frame.MAX_PAYLOAD));
        frame("info_request", Messages.INFO, 0, 1, new WireFields.Empty());
        frame("info_response", Messages.INFO | resp, 0, 1, new Messages.Info(25_000_000L, 256L << 10, "cortex-m4f", "0.1.0",
                ramp(20, 0x9a), 207_160, 499_712, "nrf52840", 3_000));
        frame("echo_request", Messages.ECHO, 0, 2, new WireFields.Raw(new byte[] {0x00, 0x01, (byte) 0xFF}));
        frame("echo_response", Messages.ECHO | resp, 0, 2, new WireFields.Raw(new byte[] {0x00, 0x01, (byte) 0xFF}));
        frame("echo_request_max_payload", Messages.ECHO, 0, 3, new WireFields.Raw(ramp(Frame.MAX_PAYLOAD, 1)));
        frame("reset_request_seq_max", Messages.RESET, 0, 0xFFFF, new WireFields.Empty());
        frame("reset_response_seq_max", Messages.RESET | resp, 0, 0xFFFF, new WireFields.Empty());
        frame("load_model_request", Messages.LOAD_MODEL, 0, 4, new Messages.LoadModel(1000, 0, ramp(16, 0x46)));
        frame("load_model_response", Messages.LOAD_MODEL | resp, 0, 4, new Messages.LoadAck(16, 65536, 0));
        frame("load_model_response_last", Messages.LOAD_MODEL | resp, 0, 5, new Messages.LoadAck(1000, 65536, 23_456));
        frame("configure_request", Messages.CONFIGURE, 0, 6, new Messages.Configure(Messages.INPUT_CODES, 42));
        frame("configure_response", Messages.CONFIGURE | resp, 0, 6, new WireFields.Empty());
        frame("train_sample_request", Messages.TRAIN_SAMPLE, 0, 7, new Messages.TrainSample(Messages.SAMPLE_LAST_OF_EPOCH, 7, ramp(8, 0xf8)));
        Messages.SampleResult r0 = new Messages.SampleResult(42, 2.302585f, 3, new long[] {1200, 3400, 560, 78}, 0.25f);
        Messages.SampleResult r1 = new Messages.SampleResult(0xFFFF_FFFFL, -0.0f, -1, new long[] {0, 1, 0xFFFF_FFFFL, 40}, 1f);
        frame("train_sample_response", Messages.TRAIN_SAMPLE | resp, 0, 7, r0);
        frame("train_batch_request", Messages.TRAIN_BATCH, 0, 8, new Messages.Samples(0, 4, new int[] {1, -1},
                new byte[][] {{1, 2, 3, 4}, {0, 0, 0, 0}}));
        frame("train_batch_response", Messages.TRAIN_BATCH | resp, 0, 8, new Messages.Results(new Messages.SampleResult[] {r0, r1}));
        frame("evaluate_request", Messages.EVALUATE, 0, 9, new Messages.Samples(Messages.EVAL_FIRST, 3, new int[] {0, 1, 2},
                new byte[][] {{10, 11, 12}, {20, 21, 22}, {30, 31, 32}}));
        frame("evaluate_response", Messages.EVALUATE | resp, 0, 9, new Messages.Predictions(new int[] {0, 5, 2}));
        frame("read_weights_request", Messages.READ_WEIGHTS, 0, 10, new Messages.ReadWeights(4096, 4000));
        frame("read_weights_response", Messages.READ_WEIGHTS | resp, 0, 10, new Messages.WeightsChunk(10_000, 4096, ramp(12, 0x10)));
        frame("read_stats_request", Messages.READ_STATS, 0, 11, new WireFields.Empty());
        frame("read_stats_response", Messages.READ_STATS | resp, 0, 11, new Messages.Stats(Messages.TIME_INSTRUCTIONS, 200, 123_456,
                130_000, new long[] {5_000_000_000L, 9_000_000_000L, 700_000, -1L}, new long[] {10, 0, 200}));
        frame("read_state_request", Messages.READ_STATE, 0, 15, new Messages.ReadWeights(0, 2000));
        frame("read_state_response", Messages.READ_STATE | resp, 0, 15, new Messages.WeightsChunk(3000, 0, ramp(10, 0x30)));
        frame("write_state_request", Messages.WRITE_STATE, 0, 16, new Messages.LoadModel(3000, 2990, ramp(10, 0x30)));
        frame("write_state_response", Messages.WRITE_STATE | resp, 0, 16, new Messages.LoadAck(3000, 3000, 23_456));
        frame("stage_input_request", Messages.STAGE_INPUT, 0, 17, new Messages.LoadModel(784, 768, ramp(16, 0x60)));
        frame("stage_input_response", Messages.STAGE_INPUT | resp, 0, 17, new Messages.LoadAck(784, 784, 0));
        frame("train_staged_request", Messages.TRAIN_STAGED, 0, 18, new Messages.TrainSample(0, 3, new byte[0]));
        frame("train_staged_response", Messages.TRAIN_STAGED | resp, 0, 18, new Messages.Results(new Messages.SampleResult[] {r1}));
        frame("evaluate_staged_request", Messages.EVALUATE_STAGED, 0, 19, new Messages.EvaluateStaged(Messages.EVAL_FIRST));
        frame("evaluate_staged_response", Messages.EVALUATE_STAGED | resp, 0, 19, new Messages.Predictions(new int[] {9}));
        frame("stage_input_out_of_order", Messages.STAGE_INPUT | resp, Messages.ERR_OFFSET, 20, new WireFields.Detail(512));
        frame("load_model_capacity_error", Messages.LOAD_MODEL | resp, Messages.ERR_CAPACITY, 12, new WireFields.Detail(65536));
        frame("train_sample_refused", Messages.TRAIN_SAMPLE | resp, Messages.ERR_REFUSED, 13, new WireFields.Detail(-11));
        frame("unknown_type_error", 0x42 | resp, Messages.ERR_UNKNOWN_TYPE, 14, new WireFields.Detail(0));
        frame("nak_crc", Messages.NAK | resp, Messages.ERR_BAD_FRAME, 0, new WireFields.Detail(WireException.Kind.CRC.frameStatus()));
    }

    private void frame(String name, int type, int status, int seq, Object message) {
        byte[] payload = WireFields.encode(message);
        block("frame", name);
        line("type", Integer.toString(type));
        line("status", Integer.toString(status));
        line("seq", Integer.toString(seq));
        line("payload", WireFields.hex(payload));
        line("wire", WireFields.hex(Frame.encode(type, status, seq, payload)));
        if (!(message instanceof WireFields.Empty)) {
            for (String f : WireFields.lines(message)) line("field", f);
        }
        end();
    }

    private void badFrames() {
        byte[] good = body(Frame.VERSION, Messages.ECHO, 5, new byte[] {1, 2, 3, 4}, 4);
        byte[] flipped = good.clone();
        flipped[Frame.HEADER_BYTES] ^= 0x10;
        badFrame("payload_bit_flipped", Cobs.encode(flipped), WireException.Kind.CRC);
        byte[] crcFlipped = good.clone();
        crcFlipped[crcFlipped.length - 1] ^= (byte) 0x80;
        badFrame("crc_bit_flipped", Cobs.encode(crcFlipped), WireException.Kind.CRC);
        badFrame("short", Cobs.encode(Arrays.copyOf(good, Frame.bodyBytes(0) - 1)), WireException.Kind.SHORT);
        badFrame("cobs_truncated", new byte[] {0x05, 0x11, 0x22}, WireException.Kind.COBS);
        badFrame("version_2", Cobs.encode(body(2, Messages.HELLO, 1, new byte[0], 0)), WireException.Kind.VERSION);
        badFrame("length_field_5_of_4", Cobs.encode(body(Frame.VERSION, Messages.ECHO, 1, new byte[] {1, 2, 3, 4}, 5)),
                WireException.Kind.LENGTH);
        byte[] big = ramp(Frame.MAX_PAYLOAD + 1, 1);
        badFrame("payload_4097", Cobs.encode(body(Frame.VERSION, Messages.ECHO, 1, big, big.length)), WireException.Kind.TOO_LONG);
    }

    /** A body with an intact CRC whatever its header says. */
    private static byte[] body(int version, int type, int seq, byte[] payload, int lengthField) {
        ByteBuffer b = ByteBuffer.allocate(Frame.bodyBytes(payload.length)).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) version).put((byte) type).putShort((short) seq).put((byte) 0).putShort((short) lengthField).put(payload);
        b.putInt(Crc32c.of(b.array(), 0, Frame.HEADER_BYTES + payload.length));
        return b.array();
    }

    private void badFrame(String name, byte[] cobs, WireException.Kind error) {
        block("bad_frame", name);
        line("wire", WireFields.hex(Arrays.copyOf(cobs, cobs.length + Frame.DELIMITER_BYTES)));
        line("error", error.code());
        end();
    }

    private void badPayloads() {
        int resp = Frame.RESPONSE_BIT;
        badPayload("info_request_not_empty", Messages.INFO, 0, new byte[] {0});
        badPayload("hello_response_short", Messages.HELLO | resp, 0, new byte[] {1, 0});
        badPayload("info_response_string_cut", Messages.INFO | resp, 0, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 5, 'c', 'o'});
        badPayload("configure_input_format_2", Messages.CONFIGURE, 0, new byte[] {2, 0, 0, 0, 0});
        badPayload("configure_extra_byte", Messages.CONFIGURE, 0, new byte[] {0, 0, 0, 0, 0, 0});
        badPayload("train_sample_no_label", Messages.TRAIN_SAMPLE, 0, new byte[] {0, 1, 2});
        badPayload("train_batch_no_samples", Messages.TRAIN_BATCH, 0, new byte[] {0, 0, 0, 4, 0});
        badPayload("train_batch_second_sample_missing", Messages.TRAIN_BATCH, 0,
                new byte[] {0, 2, 0, 1, 0, 7, 0, 0, 0, 9});
        badPayload("evaluate_count_and_size_max", Messages.EVALUATE, 0,
                new byte[] {0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3, 4});
        badPayload("train_batch_results_extra_byte", Messages.TRAIN_BATCH | resp, 0,
                Arrays.copyOf(new Messages.Results(new Messages.SampleResult[0]).encode(), 3));
        badPayload("stats_selection_missing", Messages.READ_STATS | resp, 0, Arrays.copyOf(new Messages.Stats(0, 1, 2, 3,
                new long[4], new long[] {4, 5}).encode(), 51));
        badPayload("evaluate_staged_extra_byte", Messages.EVALUATE_STAGED, 0, new byte[] {1, 0});
        badPayload("evaluate_staged_empty", Messages.EVALUATE_STAGED, 0, new byte[0]);
        badPayload("detail_short", Messages.ECHO | resp, Messages.ERR_UNSUPPORTED, new byte[] {1, 0, 0});
    }

    private void badPayload(String name, int type, int status, byte[] payload) {
        block("bad_payload", name);
        line("type", Integer.toString(type));
        line("status", Integer.toString(status));
        line("payload", WireFields.hex(payload));
        line("error", WireException.Kind.PAYLOAD.code());
        end();
    }

    private void block(String kind, String name) {
        out.append(kind).append(' ').append(name).append('\n');
    }

    private void line(String key, String value) {
        out.append(key).append(' ').append(value).append('\n');
    }

    private void end() {
        out.append('\n');
    }

    /** n bytes counting up from first, wrapping (so they hold zeros every 256). */
    static byte[] ramp(int n, int first) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (first + i);
        return b;
    }

    /** n bytes 1..255 repeating: no zero. */
    private static byte[] nonZero(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (1 + i % 255);
        return b;
    }
}
