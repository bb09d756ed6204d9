package fqt.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** uint8 max pooling: the 2x2 fast paths are the general rule, and channels cut into parts give the whole's outputs and errors. */
class MaxPool2dU8Test {
    @Test
    void channelPartsAreTheWhole() {
        Random r = new Random(9);
        int[][] shapes = {{2, 2, 2}, {2, 2, 1}, {3, 3, 2}, {3, 3, 1}, {2, 3, 2}};
        for (int[] k : shapes) {
            PoolGeometry g = new PoolGeometry(5, 9, 8, k[0], k[1], k[2]);
            byte[] x = new byte[g.inSize()], dy = new byte[g.channels() * g.outH() * g.outW()];
            r.nextBytes(x);
            for (int i = 0; i < x.length; i += 3) x[i] = x[(i + 1) % x.length]; // ties: the first maximum wins
            r.nextBytes(dy);
            int eZp = r.nextInt(256);
            byte[] y = new byte[dy.length], dx = new byte[x.length];
            MaxPool2dU8.forward(x, y, g);
            MaxPool2dU8.backward(x, dy, eZp, dx, g);
            byte[] yParts = new byte[y.length], dxParts = new byte[dx.length];
            for (int[] cut : new int[][] {{0, 2}, {2, 3}, {3, 5}}) {
                MaxPool2dU8.forwardChannels(x, yParts, g, cut[0], cut[1]);
                MaxPool2dU8.backwardChannels(x, dy, eZp, dxParts, g, cut[0], cut[1]);
            }
            assertArrayEquals(y, yParts, "forward " + java.util.Arrays.toString(k));
            assertArrayEquals(dx, dxParts, "backward " + java.util.Arrays.toString(k));
            for (int c = 0, o = 0; c < g.channels(); c++)
                for (int oy = 0; oy < g.outH(); oy++)
                    for (int ox = 0; ox < g.outW(); ox++, o++) {
                        int best = -1;
                        for (int ky = 0; ky < k[0]; ky++)
                            for (int kx = 0; kx < k[1]; kx++) best = Math.max(best, x[g.origin(c, oy, ox) + ky * g.inW() + kx] & 0xFF);
                        assertEquals(best, y[o] & 0xFF, "the window's max, " + java.util.Arrays.toString(k) + " at " + o);
                    }
        }
    }
}
