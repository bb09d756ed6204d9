package fqt.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A frame: what travels on the serial line ({@code firmware/proto/PROTOCOL.md}). Its body is a
 * 7-byte header, the payload and a CRC-32C of both; on the line it is COBS-encoded and followed
 * by two 0x00: the first ends it, the second ends it all the same when the first is lost or
 * garbled on a noisy line (a lost end would cost a timeout); the empty frame it makes otherwise is
 * skipped.
 *
 * <pre>header: version u8, type u8, seq u16, status u8, length u16 (little-endian)</pre>
 *
 * Every protocol version keeps byte 0 the version and the last 4 bytes the CRC, so an intact frame
 * of another version is recognized as such. Mirrors {@code firmware/proto/frame.c}.
 *
 * @param type    a request type of {@link Messages}, or a response's: the request's | {@link #RESPONSE_BIT}
 * @param status  0 in requests; a response's status ({@link Messages#OK}...)
 * @param seq     chosen by the host per request (u16), the same in every resend and in the response
 * @param payload the message bytes
 * @param crc     the frame's CRC-32C (a resent request carries the same)
 */
public record Frame(int type, int status, int seq, byte[] payload, int crc) {
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 7;
    public static final int CRC_BYTES = 4;
    /** Largest payload either side sends or accepts in this version. */
    public static final int MAX_PAYLOAD = 4096;
    /** A response's type is its request's type with this bit set. */
    public static final int RESPONSE_BIT = 0x80;
    /** The 0x00 after each frame. */
    public static final int DELIMITER_BYTES = 2;

    /** Bytes of a frame body with an {@code n}-byte payload. */
    public static int bodyBytes(int n) {
        return HEADER_BYTES + n + CRC_BYTES;
    }

    /** Worst case of a frame with an {@code n}-byte payload on the line, its delimiters included. */
    public static int wireBytes(int n) {
        return Cobs.encodedMax(bodyBytes(n)) + DELIMITER_BYTES;
    }

    /** The line bytes of a frame: COBS of header, payload and CRC-32C, then the delimiters. */
    public static byte[] encode(int type, int status, int seq, byte[] payload) {
        if (payload.length > MAX_PAYLOAD) throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD);
        ByteBuffer body = ByteBuffer.allocate(bodyBytes(payload.length)).order(ByteOrder.LITTLE_ENDIAN);
        body.put((byte) VERSION).put((byte) type).putShort((short) seq).put((byte) status).putShort((short) payload.length).put(payload);
        body.putInt(Crc32c.of(body.array(), 0, HEADER_BYTES + payload.length));
        byte[] cobs = Cobs.encode(body.array());
        return Arrays.copyOf(cobs, cobs.length + DELIMITER_BYTES);
    }

    /** Decodes the COBS bytes of one frame (what came between two 0x00); fails with the first check that does not hold. */
    public static Frame decode(byte[] cobs, int off, int len) {
        byte[] body = Cobs.decode(cobs, off, len);
        if (body.length < bodyBytes(0)) {
            throw new WireException(WireException.Kind.SHORT, "frame of " + body.length + " bytes, shorter than a header and a CRC");
        }
        int payloadLength = body.length - bodyBytes(0);
        if (payloadLength > MAX_PAYLOAD) {
            throw new WireException(WireException.Kind.TOO_LONG, "frame with " + payloadLength + " payload bytes, more than " + MAX_PAYLOAD);
        }
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        int crcAt = body.length - CRC_BYTES;
        int crc = b.getInt(crcAt);
        int computed = Crc32c.of(body, 0, crcAt);
        if (computed != crc) {
            throw new WireException(WireException.Kind.CRC, String.format("CRC-32C 0x%08x, frame says 0x%08x", computed, crc));
        }
        int version = body[0] & 0xFF;
        if (version != VERSION) {
            throw new WireException(WireException.Kind.VERSION, "protocol version " + version + ", this side speaks " + VERSION);
        }
        int length = b.getShort(5) & 0xFFFF;
        if (length != payloadLength) {
            throw new WireException(WireException.Kind.LENGTH, "length field " + length + ", payload of " + payloadLength + " bytes");
        }
        return new Frame(body[1] & 0xFF, body[4] & 0xFF, b.getShort(2) & 0xFFFF, Arrays.copyOfRange(body, HEADER_BYTES, crcAt), crc);
    }

    @Override
    public String toString() {
        return String.format("Frame[type 0x%02x, status %d, seq %d, %d payload bytes]", type, status, seq, payload.length);
    }

    /** What {@link Reader#push} saw. */
    public enum Event {
        /** No frame has ended. */
        MORE,
        /** A frame ended: {@link Reader#frame()} has its COBS bytes. */
        FRAME,
        /** A frame ended that was longer than any valid frame. */
        OVERFLOW
    }

    /** Collects line bytes into frames; mirrors {@code proto_rx} of {@code frame.c}. */
    public static final class Reader {
        private final byte[] buf = new byte[wireBytes(MAX_PAYLOAD) - DELIMITER_BYTES];
        private int len;
        private boolean overflow;
        private boolean ended;

        /**
         * Takes one line byte. Empty frames (0x00 after 0x00) are skipped: the spare delimiter, or a
         * lone 0x00 a sender sends to end whatever partial frame the other side holds.
         */
        public Event push(byte b) {
            if (ended) {
                len = 0;
                ended = false;
            }
            if (b != 0) {
                if (len < buf.length) buf[len++] = b;
                else overflow = true;
                return Event.MORE;
            }
            if (overflow) {
                len = 0;
                overflow = false;
                return Event.OVERFLOW;
            }
            if (len == 0) return Event.MORE;
            ended = true;
            return Event.FRAME;
        }

        /** The COBS bytes of the frame that just ended. */
        public byte[] frame() {
            return Arrays.copyOf(buf, len);
        }
    }
}
