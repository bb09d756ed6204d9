package fqt.firmware;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A training run's outcome in the host runner's result format ({@code firmware/host/fqt_host.c}):
 * status, arena bytes, per-sample loss bits and predictions, the structures each updated layer
 * selected per sample, evaluation predictions and the final model blob. Java builds one from its
 * own run and compares it with the runner's file byte for byte.
 */
final class HostResult {
    int status;
    long arenaBytes;
    final List<Float> losses = new ArrayList<>();
    final List<Integer> predicted = new ArrayList<>();
    /** Per sample and updated layer: layer, k, then k structure indices. */
    final List<Integer> selections = new ArrayList<>();
    final List<Integer> eval = new ArrayList<>();
    byte[] blob = new byte[0];
    /** Multiply-accumulates of the training samples (Context counters summed over layers); not in the file. */
    long forwardMacs, backwardMacs;

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'F', 'Q', 'T', 'R'});
        word(out, 1);
        word(out, status);
        word(out, (int) arenaBytes);
        word(out, losses.size());
        for (float v : losses) word(out, Float.floatToRawIntBits(v));
        for (int v : predicted) word(out, v);
        word(out, selections.size());
        for (int v : selections) word(out, v);
        word(out, eval.size());
        for (int v : eval) word(out, v);
        word(out, blob.length);
        out.writeBytes(blob);
        return out.toByteArray();
    }

    private static void word(ByteArrayOutputStream out, int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    /** Where two result files first differ, in words of the format ("loss of sample 17", "blob byte 420"). */
    static String firstMismatch(byte[] expected, byte[] actual) {
        int n = Math.min(expected.length, actual.length), i = 0;
        while (i < n && expected[i] == actual[i]) i++;
        if (i == n && expected.length == actual.length) return null;
        ByteBuffer b = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
        String where;
        int samples = b.getInt(16), sel = 20 + 8 * samples;
        int selWords = b.getInt(sel), eval = sel + 4 + 4 * selWords, evalCount = b.getInt(eval), blob = eval + 8 + 4 * evalCount;
        if (i < 8) where = "header";
        else if (i < 12) where = "status (C says " + ByteBuffer.wrap(actual, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() + ")";
        else if (i < 16) where = "arena bytes";
        else if (i < 20) where = "sample count";
        else if (i < 20 + 4 * samples) where = "loss of sample " + (i - 20) / 4;
        else if (i < sel) where = "prediction of sample " + (i - 20 - 4 * samples) / 4;
        else if (i < eval) where = "selections, word " + (i - sel - 4) / 4;
        else if (i < blob) where = "evaluation, word " + (i - eval) / 4;
        else where = "model blob byte " + (i - blob);
        return String.format("first difference at byte %d (%s): expected %s, C wrote %s; lengths %d and %d", i, where,
                i < expected.length ? String.format("0x%02x", expected[i] & 0xFF) : "end",
                i < actual.length ? String.format("0x%02x", actual[i] & 0xFF) : "end", expected.length, actual.length);
    }
}
