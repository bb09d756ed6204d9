package fqt.board;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A connected board running {@code firmware/app/}: virtual ({@link Boards#virtual}) or on a serial
 * port ({@link Boards#serial}). Not thread-safe: one request at a time. {@link #close()} releases
 * the port and, for a virtual board, stops QEMU.
 */
public final class Board implements AutoCloseable {
    private final Link link;
    private final Qemu qemu; // null for a real board
    private final String name;

    Board(Link link, Qemu qemu, String name) {
        this.link = link;
        this.qemu = qemu;
        this.name = name;
    }

    /** Core, clock, RAM, firmware version and build id, as the board reports them. */
    public BoardInfo info() {
        ByteBuffer b = ByteBuffer.wrap(link.call(Link.INFO, new byte[0], "info")).order(ByteOrder.LITTLE_ENDIAN);
        long clockHz = Integer.toUnsignedLong(b.getInt());
        long ramBytes = Integer.toUnsignedLong(b.getInt());
        String core = new String(counted(b), StandardCharsets.UTF_8);
        String version = new String(counted(b), StandardCharsets.UTF_8);
        String buildId = HexFormat.of().formatHex(counted(b));
        return new BoardInfo(core, clockHz, ramBytes, version, buildId);
    }

    /** Sends {@code data} (at most 4096 bytes) and returns what the board sends back: a link test. */
    public byte[] echo(byte[] data) {
        return link.call(Link.ECHO, data, "echo of " + data.length + " bytes");
    }

    /** The serial port's path, a pseudo-terminal for a virtual board. */
    public String port() {
        return link.path();
    }

    @Override
    public void close() {
        try {
            link.close();
        } finally {
            if (qemu != null) qemu.close();
        }
    }

    @Override
    public String toString() {
        return name + " on " + port();
    }

    /** The pid of a virtual board's QEMU, -1 for a real board: tests check it is gone after close(). */
    long qemuPid() {
        return qemu == null ? -1 : qemu.pid();
    }

    private static byte[] counted(ByteBuffer b) {
        byte[] s = new byte[b.get() & 0xFF];
        b.get(s);
        return s;
    }
}
