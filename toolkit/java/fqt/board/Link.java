package fqt.board;

import fqt.wire.Frame;
import fqt.wire.Messages;
import fqt.wire.WireException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The host's side of the framed protocol ({@code firmware/proto/PROTOCOL.md}) on one line; the
 * board's side is {@code firmware/proto/session.c}. One request at a time: each gets a new
 * sequence number and is resent unchanged (same number, same bytes) until its response arrives,
 * at once after a NAK or a garbled frame, after the attempt's timeout otherwise. The board answers
 * a resent request it has already run with its kept response, so every request runs exactly once.
 *
 * <p>Timeouts adapt to the line: an attempt waits at least what the caller allows, and at least
 * the round trip measured for that request type (smoothed as TCP does, from requests answered at
 * their first attempt, plus four deviations); each attempt in a row without an answer waits twice
 * as long (up to 8x). A stall is waited out: a request fails as timed out only once the board has
 * been silent for {@link #stallMillis} (default 60 s), or at once when its QEMU has exited.
 */
final class Link implements AutoCloseable {
    /** Largest payload either side accepts. */
    static final int MAX_PAYLOAD = Frame.MAX_PAYLOAD;
    /** Silence from the board that fails a request, unless set otherwise ({@link #stallLimit}). */
    static final int DEFAULT_STALL_MILLIS = 60_000;
    /** The longest an attempt's timeout grows to, as a multiple of its first. */
    private static final int MAX_BACKOFF = 8;
    /**
     * Attempts before a request fails on a line too noisy to use. Generous: on a line garbling 3%
     * of the bytes a 60-byte answer arrives intact once in 8 attempts.
     */
    static final int MAX_ATTEMPTS = 200;
    /** A HELLO is resent after this long without its answer (QEMU notices an opened pty within about a second). */
    private static final int HELLO_ATTEMPT_MILLIS = 1500;

    private final Line line;
    private final int timeoutMillis;
    private final Supplier<String> context;
    private final Frame.Reader reader = new Frame.Reader();
    /** Bytes read from the line; those from chunkAt on are not parsed yet (they belong to later frames). */
    private final byte[] chunk = new byte[1024];
    private int chunkAt, chunkLen;
    private int seq = ThreadLocalRandom.current().nextInt(1 << 16); // unlikely to repeat the last session's numbers
    private long requests, resends, timeouts, badFrames, bytesSent, bytesReceived;
    private int stallMillis = DEFAULT_STALL_MILLIS;
    /** When a byte last came from the board (System.nanoTime). */
    private long lastHeard = System.nanoTime();
    /** Smoothed round trip and its deviation per request type, in ms (0: none measured yet). */
    private final double[] srtt = new double[128], rttvar = new double[128];

    /**
     * A link on {@code line}; an attempt fails when no answer arrives for {@code timeoutMillis};
     * {@code context} adds words to error messages (for example that QEMU has exited).
     */
    Link(Line line, int timeoutMillis, Supplier<String> context) {
        this.line = line;
        this.timeoutMillis = timeoutMillis;
        this.context = context;
    }

    String path() {
        return line.path();
    }

    Line line() {
        return line;
    }

    LinkStats stats() {
        return new LinkStats(requests, resends, timeouts, badFrames, bytesSent, bytesReceived);
    }

    /** How long the board may stay silent before a request fails (a stall shorter than this is waited out). */
    void stallLimit(int millis) {
        if (millis < 1) throw new IllegalArgumentException("the stall limit must be positive, got " + millis + " ms");
        stallMillis = millis;
    }

    int stallLimit() {
        return stallMillis;
    }

    /** The measured round trip of a request type in ms, smoothed (0 before the first). */
    double roundTripMillis(int type) {
        return srtt[type & 0x7F];
    }

    /**
     * Opens the session: HELLO is sent until the board answers (within {@code totalMillis}); checks
     * the board's protocol version.
     */
    Messages.Hello hello(int totalMillis) {
        write(new byte[] {0}); // ends whatever partial frame the board holds (a host that died mid-frame)
        Messages.Hello h = Messages.Hello.decode(call(Messages.HELLO, new byte[0], "hello", HELLO_ATTEMPT_MILLIS, totalMillis, false));
        if (h.version() != Frame.VERSION || h.maxPayload() < MAX_PAYLOAD) {
            throw ioError("board on " + path() + " speaks protocol version " + h.version() + " with payloads up to "
                    + h.maxPayload() + " bytes; this host speaks version " + Frame.VERSION + " with " + MAX_PAYLOAD);
        }
        return h;
    }

    /** Sends one request and returns the answer's payload; {@code what} names the request in errors. */
    byte[] call(int type, byte[] payload, String what) {
        return call(type, payload, what, timeoutMillis, stallMillis, true);
    }

    /** As {@link #call(int, byte[], String)} with attempts of at least {@code attemptMillis}: requests that compute (training). */
    byte[] call(int type, byte[] payload, String what, int attemptMillis) {
        return call(type, payload, what, attemptMillis, stallMillis, true);
    }

    /**
     * One request until its answer: fails once the board has been silent for {@code silenceMillis}
     * (counted from the request's first attempt at the earliest); {@code adapt}: attempts wait at
     * least the type's measured round trip.
     */
    private byte[] call(int type, byte[] payload, String what, int attemptMillis, int silenceMillis, boolean adapt) {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("'" + what + "' payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD);
        }
        seq = (seq + 1) & 0xFFFF;
        byte[] frame = Frame.encode(type, Messages.OK, seq, payload);
        int kind = type & 0x7F;
        int first = adapt && srtt[kind] > 0 ? Math.max(attemptMillis, (int) Math.ceil(srtt[kind] + 4 * rttvar[kind])) : attemptMillis;
        long start = System.nanoTime();
        lastHeard = Math.max(lastHeard, start);
        int timedOutInARow = 0;
        for (int attempt = 1; ; attempt++) {
            long sent = System.nanoTime();
            write(frame);
            int wait = first * Math.min(MAX_BACKOFF, 1 << Math.min(timedOutInARow, 3));
            Attempt a = await(type | Frame.RESPONSE_BIT, wait, what);
            Frame answer = a.answer();
            if (answer != null) {
                requests++;
                if (attempt == 1) measured(kind, (System.nanoTime() - sent) / 1e6); // Karn: resent requests are not timed
                if (answer.status() == Messages.OK) return answer.payload();
                int detail = Messages.decodeDetail(answer.payload());
                throw new BoardStatusException("board on " + path() + " refused '" + what + "': "
                        + Messages.statusName(answer.status()) + " (detail " + detail + ")", answer.status(), detail);
            }
            if (a.timedOut()) {
                timeouts++;
                timedOutInARow++;
                long silent = (System.nanoTime() - lastHeard) / 1_000_000;
                // A board whose process has died (QEMU) will not answer a resend either: fail at once.
                if (silent >= silenceMillis || !context.get().isEmpty()) {
                    throw new BoardTimeoutException("board on " + path() + " did not answer '" + what + "' (seq " + seq + ") in "
                            + attempt + " attempts over " + (System.nanoTime() - start) / 1_000_000 + " ms: silent for " + silent
                            + " ms (limit " + silenceMillis + " ms)" + context.get());
                }
            } else {
                timedOutInARow = 0; // a NAK or a garbled frame: the board is there, the line is noisy
            }
            if (attempt == MAX_ATTEMPTS) {
                throw ioError("board on " + path() + ": '" + what + "' (seq " + seq + ") got no intact answer in "
                        + MAX_ATTEMPTS + " attempts: the line is too noisy" + context.get());
            }
            resends++;
        }
    }

    /** One round-trip sample of a request type, smoothed as TCP's SRTT and RTTVAR (RFC 6298: 1/8 and 1/4). */
    private void measured(int kind, double millis) {
        if (srtt[kind] == 0) {
            srtt[kind] = millis;
            rttvar[kind] = millis / 2;
        } else {
            rttvar[kind] = 0.75 * rttvar[kind] + 0.25 * Math.abs(srtt[kind] - millis);
            srtt[kind] = 0.875 * srtt[kind] + 0.125 * millis;
        }
    }

    /** How an attempt ended: the answer, else by its deadline or by a NAK or garbled frame that asks to resend at once. */
    private record Attempt(Frame answer, boolean timedOut) {}

    /**
     * Reads until the answer to the current request arrives, a NAK or a garbled frame says to
     * resend, or {@code attemptMillis} pass. Answers to earlier requests are skipped: stale copies
     * of responses the board resent.
     */
    private Attempt await(int responseType, int attemptMillis, String what) {
        long deadline = System.nanoTime() + attemptMillis * 1_000_000L;
        for (;;) {
            if (chunkAt == chunkLen) {
                if (System.nanoTime() >= deadline) break;
                chunkLen = line.read(chunk, 0, chunk.length);
                chunkAt = 0;
                bytesReceived += chunkLen;
                if (chunkLen > 0) lastHeard = System.nanoTime();
                continue;
            }
            Frame.Event e = reader.push(chunk[chunkAt++]);
            if (e == Frame.Event.MORE) continue;
            Frame f = e == Frame.Event.FRAME ? decode(reader.frame()) : null;
            if (f == null || f.type() == (Messages.NAK | Frame.RESPONSE_BIT)) {
                if (f != null) nak(f, what);
                badFrames++;
                return new Attempt(null, false);
            }
            if (f.type() == responseType && f.seq() == seq) return new Attempt(f, false);
        }
        return new Attempt(null, true);
    }

    /** The frame, or null when it failed a check; another protocol version fails the session. */
    private Frame decode(byte[] cobs) {
        try {
            return Frame.decode(cobs, 0, cobs.length);
        } catch (WireException e) {
            if (e.kind() == WireException.Kind.VERSION) {
                throw ioError("board on " + path() + " answered in another protocol version: " + e.getMessage());
            }
            return null;
        }
    }

    /** A NAK: the board could not read our frame. Only one of another version is final. */
    private void nak(Frame f, String what) {
        if (Messages.decodeDetail(f.payload()) == WireException.Kind.VERSION.frameStatus()) {
            throw ioError("board on " + path() + " does not speak protocol version " + Frame.VERSION + " ('" + what + "' refused)");
        }
    }

    private void write(byte[] b) {
        line.write(b);
        bytesSent += b.length;
    }

    @Override
    public void close() {
        line.close();
    }

    static UncheckedIOException ioError(String message) {
        return new UncheckedIOException(message, new IOException(message));
    }
}
