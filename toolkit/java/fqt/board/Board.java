package fqt.board;

import fqt.wire.Messages;
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
        Messages.Info m = Messages.Info.decode(link.call(Messages.INFO, new byte[0], "info"));
        return new BoardInfo(m.core(), m.clockHz(), m.ramBytes(), m.firmwareVersion(), HexFormat.of().formatHex(m.buildId()));
    }

    /** Sends {@code data} (at most 4096 bytes) and returns what the board sends back: a link test. */
    public byte[] echo(byte[] data) {
        return link.call(Messages.ECHO, data, "echo of " + data.length + " bytes");
    }

    /** Requests, resends, timeouts and bytes on this board's link so far. */
    public LinkStats linkStats() {
        return link.stats();
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

    /** The line under the link: a test looks at the faults a relay injected. */
    Line line() {
        return link.line();
    }
}
