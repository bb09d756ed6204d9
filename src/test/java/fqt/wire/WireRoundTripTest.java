package fqt.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Round trips and robustness of fqt.wire beyond the shared vectors (the C side: firmware/proto/tests/proto_test.c). */
class WireRoundTripTest {
    private final Random random = new Random(7);

    /** Blocks with few or many zeros, around the 254-byte run boundaries. */
    private byte[] block(int n) {
        int zeroEvery = 1 + random.nextInt(600);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = random.nextInt(zeroEvery) == 0 ? 0 : (byte) (1 + random.nextInt(255));
        return b;
    }

    @Test
    void cobsRoundTripsWithinItsBoundAndNeverEmitsZero() {
        for (int trial = 0; trial < 2000; trial++) {
            byte[] data = block(random.nextInt(1200));
            byte[] enc = Cobs.encode(data);
            assertTrue(enc.length <= Cobs.encodedMax(data.length), enc.length + " > bound for " + data.length);
            for (byte b : enc) assertNotEquals(0, b);
            assertArrayEquals(data, Cobs.decode(enc, 0, enc.length));
        }
    }

    @Test
    void crcHasItsCheckValueAndCoversExactlyTheRangeGiven() {
        assertEquals(Crc32c.CHECK, Crc32c.of("123456789".getBytes()));
        byte[] framed = "xx123456789yyy".getBytes();
        assertEquals(Crc32c.CHECK, Crc32c.of(framed, 2, 9));
        assertNotEquals(Crc32c.CHECK, Crc32c.of(framed, 2, 10));
    }

    @Test
    void framesRoundTripThroughTheReaderWhateverTheChunking() {
        Frame.Reader reader = new Frame.Reader();
        for (int trial = 0; trial < 300; trial++) {
            int type = random.nextInt(256), status = random.nextInt(256), seq = random.nextInt(1 << 16);
            byte[] payload = block(random.nextInt(Frame.MAX_PAYLOAD + 1));
            byte[] wire = Frame.encode(type, status, seq, payload);
            assertTrue(wire.length <= Frame.wireBytes(payload.length));
            List<byte[]> frames = new ArrayList<>();
            // A lone 0x00 first (empty frames are skipped), then the bytes one at a time.
            for (byte b : concat(new byte[] {0}, wire)) if (reader.push(b) == Frame.Event.FRAME) frames.add(reader.frame());
            assertEquals(1, frames.size());
            Frame f = Frame.decode(frames.get(0), 0, frames.get(0).length);
            assertEquals(List.of(type, status, seq), List.of(f.type(), f.status(), f.seq()));
            assertArrayEquals(payload, f.payload());
        }
    }

    @Test
    void theReaderDropsAFrameTooLongForAnyPayloadAndReadsTheNext() {
        Frame.Reader reader = new Frame.Reader();
        byte[] junk = new byte[Frame.wireBytes(Frame.MAX_PAYLOAD) + 10];
        Arrays.fill(junk, (byte) 0x55);
        for (byte b : junk) assertEquals(Frame.Event.MORE, reader.push(b));
        assertEquals(Frame.Event.OVERFLOW, reader.push((byte) 0));
        byte[] wire = Frame.encode(Messages.ECHO, 0, 3, new byte[] {9});
        List<byte[]> frames = new ArrayList<>();
        for (byte b : wire) if (reader.push(b) == Frame.Event.FRAME) frames.add(reader.frame());
        assertEquals(1, frames.size());
        assertEquals(3, Frame.decode(frames.get(0), 0, frames.get(0).length).seq());
    }

    @Test
    void messagesRoundTrip() {
        List<Object> messages = List.of(
                new Messages.Hello(1, 4096),
                new Messages.Info(25_000_000L, 0xFFFF_FFFFL, "cortex-m7", "9.9.9", block(20), 0xFFFF_FFFFL, 0, "teensy41", 1),
                new Messages.LoadModel(123_456, 4096, block(4000)),
                new Messages.LoadAck(4096, 1L << 20, 0),
                new Messages.Configure(Messages.INPUT_FLOAT32, 0xFFFF_FFFFL),
                new Messages.TrainSample(0, Integer.MIN_VALUE, block(784)),
                new Messages.SampleResult(7, Float.NaN, 9, new long[] {1, 2, 3, 4}, Float.MIN_VALUE),
                new Messages.Samples(1, 784, new int[] {3, 4, 5}, new byte[][] {block(784), block(784), block(784)}),
                new Messages.Results(new Messages.SampleResult[0]),
                new Messages.Predictions(new int[] {-1, 0, Integer.MAX_VALUE}),
                new Messages.ReadWeights(0xFFFF_FFFFL, 0xFFFF),
                new Messages.WeightsChunk(1, 0, new byte[0]),
                new Messages.Stats(Messages.TIME_CYCLES, 1, 2, 3, new long[] {-1L, 0, 1, 2}, new long[0]));
        for (Object m : messages) {
            byte[] p = WireFields.encode(m);
            Object back = decodeAs(m, p);
            assertEquals(WireFields.lines(m), WireFields.lines(back), m.getClass().getSimpleName());
        }
    }

    /** Garbled frames and random payloads fail with a WireException, never anything else. */
    @Test
    void garbageFailsOnlyWithWireException() {
        byte[] wire = Frame.encode(Messages.TRAIN_BATCH, 0, 1, new Messages.Samples(0, 4, new int[] {1, 2},
                new byte[][] {{1, 2, 3, 4}, {5, 6, 7, 8}}).encode());
        int[] types = {Messages.HELLO, Messages.INFO, Messages.LOAD_MODEL, Messages.CONFIGURE, Messages.TRAIN_SAMPLE,
            Messages.TRAIN_BATCH, Messages.EVALUATE, Messages.READ_WEIGHTS, Messages.READ_STATS};
        for (int trial = 0; trial < 5000; trial++) {
            byte[] g = Arrays.copyOf(wire, wire.length - Frame.DELIMITER_BYTES);
            for (int k = 1 + random.nextInt(3); k > 0; k--) g[random.nextInt(g.length)] = (byte) random.nextInt(256);
            try {
                Frame.decode(g, 0, g.length);
            } catch (WireException expected) {
                // the point: nothing else is thrown
            }
            byte[] p = new byte[random.nextInt(64)];
            random.nextBytes(p);
            int type = types[random.nextInt(types.length)] | (random.nextBoolean() ? Frame.RESPONSE_BIT : 0);
            try {
                WireFields.decode(type, 0, p);
            } catch (WireException expected) {
                // likewise
            }
        }
    }

    private static Object decodeAs(Object m, byte[] p) {
        try {
            return m.getClass().getMethod("decode", byte[].class).invoke(null, (Object) p);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
