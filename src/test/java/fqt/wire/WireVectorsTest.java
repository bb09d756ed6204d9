package fqt.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java side against testdata/wire/vectors.txt; the C side reads the same file (ProtoCTest). */
class WireVectorsTest {
    /** One block of the file: its kind, name, key-value lines and field lines. */
    record Block(String kind, String name, Map<String, String> values, List<String> fields) {
        String get(String key) {
            String v = values.get(key);
            assertNotNull(v, name + ": no '" + key + "'");
            return v;
        }

        int num(String key) {
            return Integer.parseInt(get(key));
        }

        byte[] bytes(String key) {
            return WireFields.unhex(get(key));
        }

        @Override
        public String toString() {
            return kind + " " + name;
        }
    }

    static Path file() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(WireVectors.FILE))) return d.resolve(WireVectors.FILE);
        }
        throw new IllegalStateException("no " + WireVectors.FILE + " at or above " + Path.of("").toAbsolutePath());
    }

    static Stream<Block> blocks() throws IOException {
        List<Block> blocks = new ArrayList<>();
        Block current = null;
        for (String line : Files.readAllLines(file())) {
            if (line.startsWith("#")) continue;
            if (line.isEmpty()) {
                if (current != null) blocks.add(current);
                current = null;
                continue;
            }
            String[] kv = line.split(" ", 2);
            if (current == null) {
                current = new Block(kv[0], kv[1], new LinkedHashMap<>(), new ArrayList<>());
            } else if (kv[0].equals("field")) {
                current.fields.add(kv[1]);
            } else {
                current.values.put(kv[0], kv[1]);
            }
        }
        if (current != null) blocks.add(current);
        return blocks.stream();
    }

    @Test
    void theFileIsWhatTheGeneratorWritesNow() throws IOException {
        assertEquals(WireVectors.generate(), Files.readString(file()),
                "testdata/wire/vectors.txt is stale or edited: regenerate with fqt.wire.WireVectors (see its javadoc)");
    }

    @Test
    void everyKindIsPresent() throws IOException {
        assertEquals(List.of("crc32c", "cobs", "frame", "bad_frame", "bad_payload"), blocks().map(Block::kind).distinct().toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blocks")
    void javaMatchesTheVector(Block b) {
        switch (b.kind()) {
            case "crc32c" -> assertEquals(b.get("crc"), String.format("%08x", Crc32c.of(b.bytes("data"))));
            case "cobs" -> {
                assertEquals(b.get("encoded"), WireFields.hex(Cobs.encode(b.bytes("data"))), "encode");
                byte[] enc = b.bytes("encoded");
                assertEquals(b.get("data"), WireFields.hex(Cobs.decode(enc, 0, enc.length)), "decode");
            }
            case "frame" -> frame(b);
            case "bad_frame" -> {
                byte[] wire = b.bytes("wire");
                WireException e = assertThrows(WireException.class, () -> Frame.decode(wire, 0, wire.length - Frame.DELIMITER_BYTES));
                assertEquals(b.get("error"), e.kind().code(), e.getMessage());
            }
            case "bad_payload" -> {
                Executable decode = () -> WireFields.decode(b.num("type"), b.num("status"), b.bytes("payload"));
                assertEquals(b.get("error"), assertThrows(WireException.class, decode).kind().code());
            }
            default -> fail("unknown kind " + b.kind());
        }
    }

    private static void frame(Block b) {
        byte[] payload = b.bytes("payload");
        byte[] wire = b.bytes("wire");
        assertEquals(b.get("wire"), WireFields.hex(Frame.encode(b.num("type"), b.num("status"), b.num("seq"), payload)), "encode");
        assertArrayEquals(new byte[Frame.DELIMITER_BYTES], Arrays.copyOfRange(wire, wire.length - Frame.DELIMITER_BYTES, wire.length));
        Frame f = Frame.decode(wire, 0, wire.length - Frame.DELIMITER_BYTES);
        assertEquals(List.of(b.num("type"), b.num("status"), b.num("seq")), List.of(f.type(), f.status(), f.seq()));
        assertArrayEquals(payload, f.payload());
        Object m = WireFields.decode(f.type(), f.status(), f.payload());
        List<String> fields = m instanceof WireFields.Empty ? List.of() : WireFields.lines(m);
        assertEquals(b.fields(), fields, "decoded fields");
        assertArrayEquals(payload, WireFields.encode(m), "re-encoded payload");
    }
}
