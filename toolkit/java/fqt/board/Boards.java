package fqt.board;

import com.fazecast.jSerialComm.SerialPort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
    /** The built-in board profiles, measured from their link (BoardProfilesTest keeps them equal to it). */
    static final String PROFILES = "profiles.csv";
    static final String PROFILES_HEADER = "name,core,ram_origin,ram_bytes,flash_origin,flash_bytes,stack_reserve,firmware_state_bytes,"
            + "code_bytes,arena_bytes,model_store_bytes,virtual";
    private static final List<BoardProfile> BUILT_IN = readProfiles();

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
        return start(Qemu.machine(core), core, null, Firmware.appElf(core), "virtual " + core.key() + " board", faults);
    }

    /**
     * Starts a virtual board limited to {@code profile}'s memory: the firmware linked for it
     * (built first when missing or out of date, {@link Firmware#virtualAppElf}) on its QEMU machine
     * ({@link BoardProfile#virtualMachine()}), of which it uses the profile's RAM and Flash and no
     * more. nrf52840 runs the image as linked (its memory is where the MPS2 machines' is); rp2040,
     * stm32f746 and stm32l4r5 run it linked with the same sizes but Flash at 0x0 (the RP2040's
     * Cortex-M0+ code on mps2-an385's Cortex-M3); teensy41 (8 MB of Flash) has no virtual board.
     */
    public static Board virtual(BoardProfile profile) {
        return virtual(profile, null);
    }

    /** {@link #virtual(BoardProfile)} through a relay with {@code faults}, as {@link #virtual(CortexM, LineFaults)}. */
    public static Board virtual(BoardProfile profile, LineFaults faults) {
        if (profile.virtualMachine() == null) {
            throw new IllegalArgumentException("board profile " + profile.name() + " has no virtual board: QEMU's MPS2 machines cannot"
                    + " hold its memory; ./fqt firmware build --board " + profile.name() + " links and checks it");
        }
        return start(profile.virtualMachine(), profile.core(), profile, Firmware.virtualAppElf(profile), "virtual " + profile.name() + " board",
                faults);
    }

    private static Board start(String machine, CortexM core, BoardProfile profile, Path elf, String what, LineFaults faults) {
        Qemu qemu = Qemu.startWithPty(machine, elf, QEMU_START_TIMEOUT);
        try {
            Line line = new SerialLine(qemu.ptyPath(), qemu::diagnosis);
            if (faults != null) line = new FaultyLine(line, faults);
            Link link = connect(line, VIRTUAL_SYNC_MILLIS, qemu::diagnosis);
            return new Board(link, qemu, what + " (QEMU " + machine + ", pid " + qemu.pid() + ")", core, profile, faults);
        } catch (RuntimeException e) {
            qemu.close();
            throw e;
        }
    }

    /** The built-in board profile of that name (case-insensitive); the message lists the known ones. */
    public static BoardProfile profile(String name) {
        for (BoardProfile p : BUILT_IN) {
            if (p.name().equalsIgnoreCase(name.trim())) return p;
        }
        throw new IllegalArgumentException("unknown board profile '" + name + "': use " + names() + " (or BoardProfile.custom)");
    }

    /** The built-in board profiles: nrf52840, rp2040, teensy41, stm32f746, stm32l4r5. */
    public static List<BoardProfile> profiles() {
        return BUILT_IN;
    }

    /** The built-in profiles' names, comma-separated. */
    public static String names() {
        return String.join(", ", BUILT_IN.stream().map(BoardProfile::name).toList());
    }

    private static List<BoardProfile> readProfiles() {
        List<BoardProfile> all = new ArrayList<>();
        try (InputStream in = Boards.class.getResourceAsStream(PROFILES)) {
            if (in == null) throw new IllegalStateException("missing resource fqt/board/" + PROFILES);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#") || line.equals(PROFILES_HEADER)) continue;
                String[] v = line.split(",");
                if (v.length != 12) throw new IllegalStateException("fqt/board/" + PROFILES + ": not " + PROFILES_HEADER + ": " + line);
                long[] n = new long[9];
                for (int i = 0; i < 9; i++) n[i] = Long.decode(v[i + 2]);
                all.add(new BoardProfile(v[0], CortexM.of(v[1]), new LinkedMemory(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8]),
                        v[11].equals("-") ? null : v[11]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading fqt/board/" + PROFILES + ": " + e.getMessage(), e);
        }
        return List.copyOf(all);
    }

    /** A CSV line of {@link #PROFILES} for {@code profile} with {@code memory}: what BoardProfilesTest asks to put there. */
    static String profileLine(BoardProfile profile, LinkedMemory m) {
        return String.format(Locale.ROOT, "%s,%s,0x%08x,%d,0x%08x,%d,%d,%d,%d,%d,%d,%s", profile.name(), profile.core().key(), m.ramOrigin(),
                m.ramBytes(), m.flashOrigin(), m.flashBytes(), m.stackReserve(), m.firmwareStateBytes(), m.codeBytes(), m.arenaBytes(),
                m.modelStoreBytes(), profile.virtualMachine() == null ? "-" : profile.virtualMachine());
    }

    /** Connects to a board running the board application on a serial port, e.g. {@code /dev/ttyACM0}. */
    public static Board serial(String path) {
        return new Board(connect(new SerialLine(path, () -> ""), SERIAL_SYNC_MILLIS, () -> ""), null, "board", null, null, null);
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
