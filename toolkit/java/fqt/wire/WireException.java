package fqt.wire;

import java.util.Locale;

/** Bytes that are not a valid frame or payload; {@link #kind()} says which check failed. */
public final class WireException extends RuntimeException {
    /**
     * The checks, in the order they run; the first six are {@code proto_frame_status} of
     * {@code firmware/proto/frame.h}, {@link #PAYLOAD} is {@code PROTO_ERR_BAD_PAYLOAD}.
     */
    public enum Kind {
        /** Not a valid COBS encoding. */
        COBS,
        /** Fewer bytes than a header and a CRC. */
        SHORT,
        /** More than {@link Frame#MAX_PAYLOAD} bytes of payload. */
        TOO_LONG,
        /** CRC-32C mismatch: garbled on the line. */
        CRC,
        /** Intact, but another protocol version. */
        VERSION,
        /** Intact, but the length field disagrees with the bytes. */
        LENGTH,
        /** The payload does not fit its message's layout. */
        PAYLOAD;

        /** The name in the test vectors and in C ({@code proto_frame_status_name}): {@code crc}, {@code too_long}... */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The {@code proto_frame_status} number a NAK carries as its detail (PAYLOAD has none). */
        public int frameStatus() {
            return ordinal() + 1;
        }
    }

    private final Kind kind;

    WireException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
