package fqt.board;

import com.fazecast.jSerialComm.SerialPort;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/** Where boards come from: QEMU virtual boards and real boards on serial ports. */
public final class Boards {
    /** An attempt of a request is given up (and the request resent) when its answer has not come in this long. */
    private static final int REQUEST_TIMEOUT_MILLIS = 1000;
    /** QEMU reads a new pseudo-terminal only after noticing its host side open, which takes up to a second. */
    private static final int VIRTUAL_SYNC_MILLIS = 10_000;
    /** Real boards may still be booting when the port opens. */
    static final int SERIAL_SYNC_MILLIS = 5_000;
    private static final Duration QEMU_START_TIMEOUT = Duration.ofSeconds(10);

    private Boards() {}

    /**
     * Starts a QEMU virtual board ({@link CortexM#M4}: mps2-an386, {@link CortexM#M7}: mps2-an500)
     * running the board application, built first with make when missing or out of date, and
     * connects to it. Close the board to stop QEMU.
     */
    public static Board virtual(CortexM core) {
        return virtual(core, null);
    }

    /**
     * A virtual board as {@link #virtual(CortexM)}, reached through a relay that drops, corrupts
     * and delays bytes as {@code faults} says: the protocol's CRC and retries must hide them.
     */
    public static Board virtual(CortexM core, LineFaults faults) {
        Qemu qemu = Qemu.startWithPty(core, Firmware.appElf(core), QEMU_START_TIMEOUT);
        try {
            Line line = new SerialLine(qemu.ptyPath(), qemu::diagnosis);
            if (faults != null) line = new FaultyLine(line, faults);
            Link link = connect(line, VIRTUAL_SYNC_MILLIS, qemu::diagnosis);
            return new Board(link, qemu, "virtual " + core.key() + " board (QEMU " + Qemu.machine(core) + ", pid " + qemu.pid() + ")",
                    core, faults);
        } catch (RuntimeException e) {
            qemu.close();
            throw e;
        }
    }

    /** Connects to a board running the board application on a serial port, e.g. {@code /dev/ttyACM0}. */
    public static Board serial(String path) {
        return new Board(connect(new SerialLine(path, () -> ""), SERIAL_SYNC_MILLIS, () -> ""), null, "board", null, null);
    }

    /**
     * Serial ports the system lists, candidates for {@link #serial}. Pseudo-terminals (QEMU, socat)
     * are never listed; open them by path.
     */
    public static List<SerialPortInfo> list() {
        return Arrays.stream(SerialPort.getCommPorts())
                .map(p -> new SerialPortInfo(p.getSystemPortPath(), p.getPortDescription()))
                .toList();
    }

    private static Link connect(Line line, int syncMillis, Supplier<String> context) {
        Link link = new Link(line, REQUEST_TIMEOUT_MILLIS, context);
        try {
            link.hello(syncMillis);
            return link;
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }
}
