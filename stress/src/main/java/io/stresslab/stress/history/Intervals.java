package io.stresslab.stress.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Time intervals during which an owner certainly held a key, and the sweep that finds two owners overlapping. */
final class Intervals {
    /**
     * {@code owner} certainly held {@code key} from {@code start} to {@code end} ({@code begin}/{@code finish} show
     * it).
     */
    record Interval(String key, String owner, long start, long end, Op begin, Op finish) {
    }

    private Intervals() {
    }

    /** Every pair of intervals of one key with different owners that overlap, at most {@code limit}. */
    static List<HistoryChecker.Violation> overlaps(String checker, List<Interval> intervals, int limit) {
        Map<String, List<Interval>> byKey = new TreeMap<>();
        for (Interval i : intervals) {
            byKey.computeIfAbsent(i.key(), k -> new ArrayList<>()).add(i);
        }
        List<HistoryChecker.Violation> out = new ArrayList<>();
        for (List<Interval> list : byKey.values()) {
            list.sort(Comparator.comparingLong(Interval::start));
            Interval reach = null; // the interval reaching furthest so far
            for (Interval i : list) {
                if (reach != null && i.start() < reach.end() && !i.owner().equals(reach.owner())) {
                    List<Op> ops = new ArrayList<>();
                    ops.add(reach.begin());
                    ops.add(i.begin());
                    out.add(new HistoryChecker.Violation(checker, i.key(), i.owner() + " entered while "
                            + reach.owner() + " was still inside", ops));
                    if (out.size() >= limit) {
                        return out;
                    }
                }
                if (reach == null || i.end() > reach.end()) {
                    reach = i;
                }
            }
        }
        return out;
    }
}
