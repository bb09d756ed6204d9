package fqt.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy first-fit by size, in the spirit of TensorFlow Lite Micro's greedy memory planner:
 * buffers in (bytes and the first and last step they are alive, both inclusive), offsets out.
 * Largest first (ties: earlier first step, then request order); each goes to the lowest 4-aligned
 * offset where it overlaps no placed buffer alive at any of its steps.
 */
public final class LifetimePlanner {
    private LifetimePlanner() {}

    public record Request(long bytes, int first, int last) {
        public Request {
            if (bytes < 0 || first > last) throw new IllegalArgumentException("a buffer of " + bytes + " bytes alive from step " + first + " to " + last);
        }
        boolean overlapsInTime(Request o) { return first <= o.last && o.first <= last; }
    }

    /** Offsets by request, and the region's size (the largest end, rounded up to 4). */
    public record Placement(long[] offsets, long bytes) {}

    public static Placement place(List<Request> requests) {
        int n = requests.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.comparingLong((Integer i) -> -requests.get(i).bytes())
                .thenComparingInt(i -> requests.get(i).first()).thenComparingInt(i -> i));
        long[] offsets = new long[n];
        List<Integer> placed = new ArrayList<>();
        long end = 0;
        for (int i : order) {
            Request r = requests.get(i);
            if (r.bytes() == 0) continue;
            List<Integer> live = new ArrayList<>();
            for (int j : placed) if (requests.get(j).overlapsInTime(r)) live.add(j);
            live.sort(Comparator.comparingLong(j -> offsets[j]));
            long at = 0;
            for (int j : live) {
                if (at + r.bytes() <= offsets[j]) break;
                at = Math.max(at, Arena.roundUp(offsets[j] + requests.get(j).bytes(), Arena.ALIGN));
            }
            offsets[i] = at;
            placed.add(i);
            end = Math.max(end, at + r.bytes());
        }
        return new Placement(offsets, Arena.roundUp(end, Arena.ALIGN));
    }
}
