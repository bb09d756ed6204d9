package fqt.board;

import fqt.data.Dataset;
import fqt.memory.Memory;
import fqt.nn.Model;
import fqt.train.Training;
import fqt.train.TrainingConfig;
import fqt.wire.Messages;
import fqt.wire.ModelBlob;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A connected board running {@code firmware/app/}: virtual ({@link Boards#virtual}) or on a serial
 * port ({@link Boards#serial}). Not thread-safe: one request at a time. {@link #close()} releases
 * the port and, for a virtual board, stops QEMU.
 */
public final class Board implements AutoCloseable {
    private Link link;
    private Qemu qemu; // null for a real board
    private String name;
    private final CortexM core;     // of a virtual board, to start another after a crash
    private final BoardProfile profile; // of a virtual board limited to a profile's memory, or null
    private final LineFaults faults; // of a virtual board's relay, or null
    private boolean closed;
    /** The device of the last deploy: an earlier handle would train a model the board no longer holds. */
    private Device current;

    Board(Link link, Qemu qemu, String name, CortexM core, BoardProfile profile, LineFaults faults) {
        this.link = link;
        this.qemu = qemu;
        this.name = name;
        this.core = core;
        this.profile = profile;
        this.faults = faults;
    }

    /**
     * Loads {@code training}'s model as {@code training.fit(train, ...)} starts from it (frozen and
     * quantized on {@code train} as configured: {@link ModelBlob#forRun}) and its settings onto
     * the board, ready to train. Refused before upload when its memory plan exceeds the arena the
     * board reports ({@link BoardInfo#arenaCapacity()}), with the numbers.
     */
    public Device deploy(Training training, Dataset train) {
        TrainingConfig c = training.config();
        return deploy(Training.prepareModel(training.model(), c, train), c);
    }

    /**
     * Loads {@code model}, in the state {@code training} expects (quantized for MIXED and UINT8),
     * with {@code training}'s settings frozen now: {@link ModelBlob#write}. The board replaces
     * whatever it held.
     */
    public Device deploy(Model model, Training training) {
        return deploy(model, training.config());
    }

    /** {@link #deploy(Model, Training)} with settings already frozen; every field of {@code c} reaches the board. */
    public Device deploy(Model model, TrainingConfig c) {
        BoardInfo info = info();
        long need = Memory.plan(model, c).ramBytes(), have = info.arenaCapacity();
        if (need > have) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the model needs %,d B of arena to train (Memory.plan) and %s"
                    + " (%s profile, %,d KiB RAM) has %,d B: %,d B short, not uploaded", need, this, info.board(), info.ramBytes() / 1024, have,
                    need - have));
        }
        byte[] blob = ModelBlob.write(model, c);
        requireOpen();
        current = null; // the board replaces its model as soon as the upload starts
        current = new Device(this, model, c, blob);
        return current;
    }

    /**
     * Continues the run whose device CSV is {@code csv} on this board, from the checkpoint written
     * beside it ({@code csv + ".checkpoint"}): after the host process died, or on another board of
     * the same kind. The board gets the checkpoint's model and training state; the next
     * {@code train} call with the run's data and epochs finishes the interrupted one, each sample
     * once in the log and the CSV. A missing or damaged checkpoint is refused naming the file.
     */
    public Device resume(java.nio.file.Path csv) {
        requireOpen();
        current = null;
        current = Device.resume(this, csv);
        return current;
    }

    /** Whether {@code d} is the device of this board's last deploy. */
    boolean holds(Device d) {
        return current == d;
    }

    /** Core, clock, RAM, firmware version, build id, arena and blob capacity and board profile, as the board reports them. */
    public BoardInfo info() {
        requireOpen();
        Messages.Info m = Messages.Info.decode(link.call(Messages.INFO, new byte[0], "info"));
        return new BoardInfo(m.core(), m.clockHz(), m.ramBytes(), m.firmwareVersion(), HexFormat.of().formatHex(m.buildId()),
                m.arenaCapacity(), m.blobCapacity(), m.board(), m.stackUsed());
    }

    /** Sends {@code data} (at most 4096 bytes) and returns what the board sends back: a link test. */
    public byte[] echo(byte[] data) {
        requireOpen();
        return link.call(Messages.ECHO, data, "echo of " + data.length + " bytes");
    }

    /** Requests, resends, timeouts and bytes on this board's link so far. */
    public LinkStats linkStats() {
        return link.stats();
    }

    /**
     * How long the board may stay silent before a request fails with {@link BoardTimeoutException}
     * (default 60 s): a stall of the line or the board shorter than this is waited out, the request
     * resent with growing timeouts. A virtual board whose QEMU exits fails at once. Returns this.
     */
    public Board stallLimit(java.time.Duration limit) {
        link.stallLimit(Math.toIntExact(limit.toMillis()));
        return this;
    }

    /** The serial port's path, a pseudo-terminal for a virtual board. */
    public String port() {
        return link.path();
    }

    @Override
    public void close() {
        closed = true;
        current = null;
        closeLink();
    }

    private void closeLink() {
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

    /** Sends one request, attempts of {@code attemptMillis} ({@link Device}: requests that compute). */
    byte[] call(int type, byte[] payload, String what, int attemptMillis) {
        requireOpen();
        return link.call(type, payload, what, attemptMillis);
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException(name + " is closed: open the board again (Boards.virtual, Boards.serial) and deploy");
    }

    /** Whether the board is gone for good on this link: a virtual board's QEMU has exited (or does within a second). */
    boolean crashed() {
        return qemu != null && qemu.exited(1000);
    }

    /**
     * After a crash or a reset: a virtual board is started again (a fresh QEMU, same core and relay),
     * a real board is greeted until it answers (it may be rebooting). The board holds no model then.
     */
    void restart() {
        if (qemu == null) {
            link.hello(Boards.SERIAL_SYNC_MILLIS);
            return;
        }
        closeLink();
        Board fresh = profile != null ? Boards.virtual(profile, faults) : Boards.virtual(core, faults);
        fresh.link.stallLimit(link.stallLimit());
        link = fresh.link;
        qemu = fresh.qemu;
        name = fresh.name;
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
