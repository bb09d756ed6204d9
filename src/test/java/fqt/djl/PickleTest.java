package fqt.djl;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PickleTest {

    /** {'a': [1, -2, 1.5, None, True], 'b': ('x',)} as Python's pickle.dumps(..., protocol=2) writes it. */
    private static final int[] DICT = {
        0x80, 0x02, '}', 'q', 0x00, '(', 'X', 0x01, 0, 0, 0, 'a', 'q', 0x01, ']', 'q', 0x02, '(', 'K', 0x01, 'J', 0xfe, 0xff, 0xff, 0xff,
        'G', 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 'N', 0x88, 'e', 'X', 0x01, 0, 0, 0, 'b', 'q', 0x03, 'X', 0x01, 0, 0, 0, 'x', 'q', 0x04,
        0x85, 'q', 0x05, 'u', '.'};

    @Test
    void readsTheValuesTorchScriptWrites() {
        Object v = Pickle.load(bytes(DICT), "test.pkl");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(java.util.Arrays.asList(1L, -2L, 1.5, null, true), m.get("a"));
        assertEquals(List.of("x"), m.get("b"));
    }

    @Test
    void truncatedAndUnknownOpcodesAreErrors() {
        byte[] b = bytes(DICT);
        ImportException e = assertThrows(ImportException.class, () -> Pickle.load(java.util.Arrays.copyOf(b, 30), "test.pkl"));
        assertTrue(e.getMessage().startsWith("test.pkl is truncated"), e.getMessage());
        byte[] bad = b.clone();
        bad[2] = (byte) 0xf0;
        e = assertThrows(ImportException.class, () -> Pickle.load(bad, "test.pkl"));
        assertEquals("test.pkl: unsupported pickle opcode 0xf0 at byte 2", e.getMessage());
    }

    private static byte[] bytes(int[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }
}
