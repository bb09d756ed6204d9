package fqt.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The row loops (lane by lane with the Vector API, the tail element by element) give the sums of their definitions. */
class RowsTest {
    @Test
    void rowLoopsAreTheirDefinitions() {
        Random r = new Random(29);
        for (int n : new int[] {0, 1, 15, 16, 17, 33, 224, 784, 1001}) {
            int[] e = r.ints(n + 9, -255, 256).toArray(), x = r.ints(n + 9, -255, 256).toArray();
            byte[] w = new byte[n + 9];
            r.nextBytes(w);
            int dot = 0, dotCodes = 0;
            for (int k = 0; k < n; k++) {
                dot += e[4 + k] * x[5 + k];
                dotCodes += x[k] * (w[3 + k] & 0xFF);
            }
            assertEquals(dot, Rows.dot(e, 4, x, 5, 1, n), "dot n " + n);
            assertEquals(dotCodes, Rows.dotCodes(x, w, 3, n), "dotCodes n " + n);
            int[] acc = x.clone(), expected = x.clone();
            int m = r.nextInt(511) - 255;
            for (int k = 0; k < n; k++) expected[k] += m * (w[3 + k] & 0xFF);
            Rows.mulAddCodes(acc, m, w, 3, n);
            assertArrayEquals(expected, acc, "mulAddCodes n " + n);
        }
    }

    @Test
    void threeByThreeTapsAreTheirDefinition() {
        Random r = new Random(31);
        for (int n : new int[] {1, 15, 16, 17, 222, 256, 1001}) {
            for (int rowStep : new int[] {18, -18}) {
                int colStep = Integer.signum(rowStep), margin = 2 * 18 + 2;
                int[] x = r.ints(n + 2 * margin, -255, 256).toArray(), acc = r.ints(n, -1000, 1000).toArray();
                byte[] w = new byte[12];
                r.nextBytes(w);
                int wZp = r.nextInt(256), base = margin;
                int[] expected = acc.clone();
                for (int k = 0; k < n; k++)
                    for (int ky = 0; ky < 3; ky++)
                        for (int kx = 0; kx < 3; kx++) expected[k] += ((w[2 + 3 * ky + kx] & 0xFF) - wZp) * x[base + ky * rowStep + kx * colStep + k];
                Rows.mulAdd9(acc, w, 2, wZp, x, base, rowStep, colStep, n);
                assertArrayEquals(expected, acc, "n " + n + " rowStep " + rowStep);
                int[] one = acc.clone(), oneExpected = acc.clone();
                for (int k = 0; k < n; k++) oneExpected[k] += 7 * x[3 + k];
                Rows.mulAdd(one, 0, 7, x, 3, 1, n);
                assertArrayEquals(oneExpected, one, "mulAdd n " + n);
            }
        }
    }

    @Test
    void gradientRowsAreTheirDefinitions() {
        Random r = new Random(37);
        for (int n : new int[] {1, 15, 16, 17, 222, 784, 1001}) {
            int rowStep = 18;
            int[] e = r.ints(n, -255, 256).toArray(), x = r.ints(n + 2 * rowStep + 2 + 5, -255, 256).toArray();
            float scale = 1e-4f * (1 + r.nextInt(100));
            float[] gw = new float[14], expected = new float[14];
            for (int i = 0; i < gw.length; i++) gw[i] = expected[i] = (float) r.nextGaussian();
            for (int t = 0; t < 9; t++) {
                int sum = 0;
                for (int k = 0; k < n; k++) sum += e[k] * x[5 + (t / 3) * rowStep + t % 3 + k];
                expected[3 + t] += (float) sum * scale;
            }
            Rows.gradient9(e, x, 5, rowStep, n, scale, gw, 3, new int[9]);
            assertArrayEquals(expected, gw, "gradient9 n " + n);
            float[] y = new float[n + 4], yExpected, xf = new float[n];
            for (int i = 0; i < y.length; i++) y[i] = (float) r.nextGaussian();
            for (int i = 0; i < n; i++) xf[i] = r.nextInt(511) - 255;
            yExpected = y.clone();
            float a = (float) r.nextGaussian() * 1e-3f;
            for (int k = 0; k < n; k++) yExpected[2 + k] += a * xf[k];
            Rows.addScaled(y, 2, a, xf, n);
            assertArrayEquals(yExpected, y, "addScaled n " + n);
        }
    }

    /** uint8 ReLU, lane by lane with the tail element by element, is its definition for every zero point. */
    @Test
    void reluIsItsDefinition() {
        Random r = new Random(41);
        for (int n : new int[] {0, 1, 15, 16, 17, 100, 6272}) {
            for (int zp : new int[] {0, 1, 127, 128, 129, 254, 255}) {
                byte[] x = new byte[n], dy = new byte[n], y = new byte[n], dx = new byte[n];
                r.nextBytes(x);
                r.nextBytes(dy);
                int eZp = r.nextInt(256);
                ReluU8.forward(x, zp, y, n);
                ReluU8.backward(x, zp, dy, eZp, dx, n);
                for (int i = 0; i < n; i++) {
                    boolean passes = (x[i] & 0xFF) > zp;
                    assertEquals(passes ? x[i] : (byte) zp, y[i], "forward n " + n + " zp " + zp + " at " + i);
                    assertEquals(passes ? dy[i] : (byte) eZp, dx[i], "backward n " + n + " zp " + zp + " at " + i);
                }
            }
        }
    }

    /** The clamp's errors (and the saturation rule, its case qlo 0 or -1, qhi 255), in place too, lane by lane as element by element. */
    @Test
    void clampErrorsAreTheirDefinition() {
        Random r = new Random(43);
        for (int n : new int[] {0, 1, 15, 16, 17, 100, 6272}) {
            for (int[] b : new int[][] {{-1, 255}, {0, 255}, {-1, 256}, {0, 6}, {3, 200}, {254, 255}, {255, 256}, {-1, 0}, {10, 10}}) {
                byte[] x = new byte[n], dy = new byte[n], dx = new byte[n];
                r.nextBytes(x);
                r.nextBytes(dy);
                int eZp = r.nextInt(256);
                ClampU8.backward(x, b[0], b[1], dy, eZp, dx, n);
                byte[] inPlace = dy.clone();
                ClampU8.backward(x, b[0], b[1], inPlace, eZp, inPlace, n);
                for (int i = 0; i < n; i++) {
                    int q = x[i] & 0xFF;
                    byte want = b[0] < q && q < b[1] ? dy[i] : (byte) eZp;
                    assertEquals(want, dx[i], "n " + n + " bounds " + b[0] + ", " + b[1] + " at " + i);
                    assertEquals(want, inPlace[i], "in place, n " + n + " at " + i);
                }
            }
        }
    }
}
