package fqt.board;

import static org.junit.jupiter.api.Assertions.*;

import fqt.wire.Frame;
import fqt.wire.Messages;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The framed protocol against the M4 virtual board: faults, resends, throughput. */
@Tag("qemu")
class LinkTest {
    /** Issue 6's fault building block: every exchange completes, correct, thanks to CRC and resends. */
    @Test
    void echoAndInfoSurviveALineThatDropsCorruptsAndDelaysBytes() {
        LineFaults faults = new LineFaults(6, 0.01, 0.02, 0.002, 20);
        BoardInfo clean;
        try (Board board = Boards.virtual(CortexM.M4)) {
            clean = board.info();
        }
        long start = System.nanoTime();
        try (Board board = Boards.virtual(CortexM.M4, faults)) {
            Random random = new Random(5);
            int exchanges = 200;
            for (int i = 0; i < exchanges; i++) {
                if (i % 3 == 0) {
                    assertEquals(clean, sameStack(board.info(), clean), "info " + i);
                } else {
                    byte[] data = new byte[random.nextInt(33)];
                    random.nextBytes(data);
                    assertArrayEquals(data, board.echo(data), "echo " + i + " of " + data.length + " bytes");
                }
            }
            FaultyLine relay = (FaultyLine) board.line();
            LinkStats stats = board.linkStats();
            System.out.printf("fault injection: %d exchanges in %.1f s through %s%n  link: %s%n", exchanges,
                    (System.nanoTime() - start) / 1e9, relay, stats);
            assertTrue(relay.dropped() > 0 && relay.corrupted() > 0 && relay.delayed() > 0, relay.toString());
            assertTrue(stats.resends() > exchanges, "the faults must have forced resends: " + stats);
            assertEquals(exchanges + 1, stats.requests(), "one answer per request, HELLO included");
        }
    }

    /** A resent request (same seq, same bytes) gets the same answer byte for byte; a garbled one a NAK. */
    @Test
    void theBoardAnswersAResentRequestAgainAndNaksAGarbledOne() {
        try (Board board = Boards.virtual(CortexM.M4)) {
            Line line = board.line();
            byte[] request = Frame.encode(Messages.ECHO, 0, 40000, new byte[] {1, 2, 3});
            line.write(request);
            line.write(request);
            List<byte[]> answers = frames(line, 2);
            assertArrayEquals(answers.get(0), answers.get(1));
            Frame answer = Frame.decode(answers.get(0), 0, answers.get(0).length);
            assertEquals(List.of(Messages.ECHO | Frame.RESPONSE_BIT, 40000), List.of(answer.type(), answer.seq()));

            byte[] garbled = request.clone();
            garbled[3] ^= 0x40;
            line.write(garbled);
            byte[] nak = frames(line, 1).get(0);
            Frame f = Frame.decode(nak, 0, nak.length);
            assertEquals(List.of(Messages.NAK | Frame.RESPONSE_BIT, Messages.ERR_BAD_FRAME, 0), List.of(f.type(), f.status(), f.seq()));
        }
    }

    /** Link throughput on the virtual board, printed for the README; QEMU's pty is not rate-limited. */
    @Test
    void throughput() {
        try (Board board = Boards.virtual(CortexM.M4)) {
            byte[] data = new byte[Link.MAX_PAYLOAD];
            new Random(1).nextBytes(data);
            board.echo(data);
            int n = 20;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) assertArrayEquals(data, board.echo(data));
            double echoSeconds = (System.nanoTime() - t0) / 1e9;
            int small = 200;
            t0 = System.nanoTime();
            for (int i = 0; i < small; i++) board.echo(new byte[16]);
            double smallSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("link throughput (M4 virtual board): %.0f KiB/s each way with %d-byte echoes, %.0f round trips/s"
                    + " with 16-byte echoes%n", n * data.length / 1024.0 / echoSeconds, data.length, small / smallSeconds);
            // Resends may happen on a loaded machine (QEMU late past the timeout); garbled frames may not.
            assertEquals(0, board.linkStats().badFrames(), "a clean line garbles nothing: " + board.linkStats());
        }
    }

    /** The next {@code count} frames' COBS bytes from the line (within 5 s). */
    private static List<byte[]> frames(Line line, int count) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        byte[] chunk = new byte[256];
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (out.size() < count && System.nanoTime() < deadline) {
            int n = line.read(chunk, 0, chunk.length);
            for (int i = 0; i < n && out.size() < count; i++) {
                if (chunk[i] != 0) {
                    current.write(chunk[i]);
                } else if (current.size() > 0) {
                    out.add(current.toByteArray());
                    current.reset();
                }
            }
        }
        assertEquals(count, out.size(), "frames received: " + out.stream().map(Arrays::toString).toList());
        return out;
    }

    /** {@code info} with {@code like}'s stack depth: what the board's stack reached depends on the faults' detours. */
    private static BoardInfo sameStack(BoardInfo info, BoardInfo like) {
        return new BoardInfo(info.core(), info.clockHz(), info.ramBytes(), info.firmwareVersion(), info.buildId(), info.arenaCapacity(),
                info.blobCapacity(), info.board(), like.stackUsed());
    }
}
