package fqt.board;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Request and response bytes on one serial port, as in {@code firmware/app/link.h} and
 * {@code messages.h}: a request is {@code 0xA5, type, length (u16 LE), payload}, a response
 * {@code 0x5A, type, status, length (u16 LE), payload}. The framed protocol will take this
 * class's place; {@link Board} keeps the requests.
 */
final class Link implements AutoCloseable {
    static final int INFO = 0x01;
    static final int ECHO = 0x02;
    /** Largest payload either side accepts (LINK_MAX_PAYLOAD). */
    static final int MAX_PAYLOAD = 4096;

    private static final int REQUEST_MAGIC = 0xA5;
    private static final int RESPONSE_MAGIC = 0x5A;
    private static final String[] STATUS = {"ok", "unknown request type", "request too long"};
    /** One jSerialComm read waits at most this long, so deadlines are checked often. */
    private static final int POLL_MILLIS = 50;
    /** An opening echo is resent after this long without its answer. */
    private static final int SYNC_ATTEMPT_MILLIS = 1500;

    private final SerialPort port;
    private final String path;
    private final int timeoutMillis;
    private final Supplier<String> context;

    private Link(SerialPort port, String path, int timeoutMillis, Supplier<String> context) {
        this.port = port;
        this.path = path;
        this.timeoutMillis = timeoutMillis;
        this.context = context;
    }

    /**
     * Opens {@code path} (pseudo-terminals included) at 115200 8N1. A request fails when the board
     * sends nothing for {@code timeoutMillis}; {@code context} adds words to error messages (for
     * example that QEMU has exited).
     */
    static Link open(String path, int timeoutMillis, Supplier<String> context) {
        SerialPort port = SerialPort.getCommPort(path);
        port.setComPortParameters(115200, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, POLL_MILLIS, 0);
        // Only the result counts: on a pseudo-terminal openPort() succeeds but may leave ENOTTY as last error.
        if (!port.openPort()) {
            throw ioError("cannot open serial port " + path + " (error " + port.getLastErrorCode()
                    + "; is it present, readable and writable by you, and not held by another program?)");
        }
        return new Link(port, path, timeoutMillis, context);
    }

    String path() {
        return path;
    }

    /**
     * Sends echo requests with a fresh random nonce until the board echoes the latest one, skipping
     * everything received before it: answers to earlier attempts and stale bytes.
     */
    void sync(int totalMillis) {
        long end = System.nanoTime() + totalMillis * 1_000_000L;
        do {
            byte[] nonce = new byte[8];
            ThreadLocalRandom.current().nextBytes(nonce);
            write(request(ECHO, nonce));
            byte[] expected = response(ECHO, nonce);
            long attemptEnd = Math.min(end, System.nanoTime() + SYNC_ATTEMPT_MILLIS * 1_000_000L);
            if (skipUntil(expected, attemptEnd)) return;
        } while (System.nanoTime() < end);
        throw new BoardTimeoutException("board on " + path + " did not answer the opening echo within "
                + totalMillis + " ms" + context.get());
    }

    /** Sends one request and returns the answer's payload; {@code what} names the request in errors. */
    byte[] call(int type, byte[] payload, String what) {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("'" + what + "' payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD);
        }
        write(request(type, payload));
        byte[] header = new byte[5];
        readFully(header, what, "header");
        if ((header[0] & 0xFF) != RESPONSE_MAGIC || (header[1] & 0xFF) != type) {
            throw ioError("board on " + path + " answered '" + what + "' with unexpected bytes " + hex(header));
        }
        int status = header[2] & 0xFF;
        byte[] body = new byte[(header[3] & 0xFF) | (header[4] & 0xFF) << 8];
        readFully(body, what, "payload");
        if (status != 0) {
            String name = status < STATUS.length ? STATUS[status] : "status " + status;
            throw ioError("board on " + path + " refused '" + what + "': " + name);
        }
        return body;
    }

    @Override
    public void close() {
        port.closePort();
    }

    private static byte[] request(int type, byte[] payload) {
        byte[] b = new byte[4 + payload.length];
        b[0] = (byte) REQUEST_MAGIC;
        b[1] = (byte) type;
        b[2] = (byte) payload.length;
        b[3] = (byte) (payload.length >> 8);
        System.arraycopy(payload, 0, b, 4, payload.length);
        return b;
    }

    private static byte[] response(int type, byte[] payload) {
        byte[] b = new byte[5 + payload.length];
        b[0] = (byte) RESPONSE_MAGIC;
        b[1] = (byte) type;
        b[3] = (byte) payload.length;
        b[4] = (byte) (payload.length >> 8);
        System.arraycopy(payload, 0, b, 5, payload.length);
        return b;
    }

    private void write(byte[] b) {
        if (port.writeBytes(b, b.length) != b.length) {
            throw ioError("writing to " + path + " failed (error " + port.getLastErrorCode() + ")" + context.get());
        }
    }

    /** Fills {@code b}; fails when nothing arrives for {@code timeoutMillis}. */
    private void readFully(byte[] b, String what, String part) {
        int got = 0;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (got < b.length) {
            int n = read(b, got, b.length - got);
            if (n > 0) {
                got += n;
                deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            } else if (System.nanoTime() > deadline) {
                throw new BoardTimeoutException("board on " + path + " did not answer '" + what + "' within " + timeoutMillis
                        + " ms (" + part + ": " + got + " of " + b.length + " bytes received)" + context.get());
            }
        }
    }

    /** Reads until {@code expected} has arrived (true) or the deadline passes (false). */
    private boolean skipUntil(byte[] expected, long deadline) {
        byte[] window = new byte[0];
        byte[] chunk = new byte[256];
        while (System.nanoTime() < deadline) {
            int n = read(chunk, 0, chunk.length);
            if (n <= 0) continue;
            byte[] joined = Arrays.copyOf(window, window.length + n);
            System.arraycopy(chunk, 0, joined, window.length, n);
            if (indexOf(joined, expected) >= 0) return true;
            // Keep only a tail that could still begin the expected bytes.
            window = Arrays.copyOfRange(joined, Math.max(0, joined.length - expected.length + 1), joined.length);
        }
        return false;
    }

    private int read(byte[] b, int offset, int len) {
        int n = port.readBytes(b, len, offset);
        if (n < 0) {
            throw ioError("reading from " + path + " failed (error " + port.getLastErrorCode() + ")" + context.get());
        }
        return n;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) return i;
        }
        return -1;
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.ofDelimiter(" ").formatHex(b);
    }

    private static UncheckedIOException ioError(String message) {
        return new UncheckedIOException(message, new IOException(message));
    }
}
