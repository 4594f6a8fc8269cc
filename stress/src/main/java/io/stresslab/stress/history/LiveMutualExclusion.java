package io.stresslab.stress.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link MutualExclusionChecker} judged live, with the same definition: owner {@code w<worker>/t<thread>} is
 * certainly inside a key from the completion of its OK {@code enter} to the invocation of its next {@code exit} of that
 * key (or, never exiting, to its worker's last recorded event); two owners' sections overlap when the later one
 * starts strictly before the earlier one ends. INFO enters are ignored.
 *
 * <p>Certainty while the run goes on: a section whose exit has not been read yet ends no earlier than the last event
 * read from its thread (a thread's events arrive in time order), so an overlap is reported as soon as
 * {@code later start < min(end or that lower bound of each)} — for ORCH-2, as soon as B's enter completed before A's
 * exit was invoked and an event of A's thread after B's start has been read.
 *
 * <p>State per key: the owners inside and the most recent closed sections (at most {@value #RECENT} per key, kept
 * to pair with sections of a slower-read file); per thread: its last event time.
 */
public final class LiveMutualExclusion implements LiveJudge {
    /** Closed sections kept per key to compare with sections still unread in other files. */
    static final int RECENT = 64;

    private record Section(String owner, long start, Op enter) {
    }

    private record Closed(String owner, long start, long end, Op enter) {
    }

    private final String enterOp;
    private final String exitOp;
    private final Map<String, Map<String, Section>> inside = new HashMap<>(); // key -> owner -> open section
    private final Map<String, ArrayDeque<Closed>> recent = new HashMap<>();
    private final Map<String, Set<String>> keysOf = new HashMap<>(); // owner -> keys it is inside
    private final Map<String, Long> lastT = new HashMap<>(); // owner -> its last event time

    private final int recentPerKey;

    public LiveMutualExclusion(String enterOp, String exitOp) {
        this(enterOp, exitOp, RECENT);
    }

    LiveMutualExclusion(String enterOp, String exitOp, int recentPerKey) {
        this.enterOp = enterOp;
        this.exitOp = exitOp;
        this.recentPerKey = recentPerKey;
    }

    private static String owner(int worker, int thread) {
        return "w" + worker + "/t" + thread;
    }

    @Override
    public HistoryChecker.Violation invoked(Op op) {
        if (!op.name().equals(exitOp)) {
            return null;
        }
        String owner = owner(op.worker(), op.thread());
        Map<String, Section> in = inside.get(op.key());
        Section s = in == null ? null : in.remove(owner);
        if (s == null) {
            return null;
        }
        keysOf.get(owner).remove(op.key());
        Closed c = new Closed(owner, s.start(), op.invokeNanos(), s.enter());
        HistoryChecker.Violation v = against(op.key(), c.owner(), c.start(), c.end(), c.enter(), null);
        ArrayDeque<Closed> q = recent.computeIfAbsent(op.key(), k -> new ArrayDeque<>());
        q.addLast(c);
        if (q.size() > recentPerKey) {
            q.removeFirst();
        }
        return v;
    }

    @Override
    public HistoryChecker.Violation completed(Op op) {
        if (!op.name().equals(enterOp) || !op.ok()) {
            return null;
        }
        String owner = owner(op.worker(), op.thread());
        inside.computeIfAbsent(op.key(), k -> new HashMap<>()).put(owner, new Section(owner, op.completeNanos(), op));
        keysOf.computeIfAbsent(owner, o -> new HashSet<>()).add(op.key());
        return null; // progressed(...) of this very event judges it
    }

    @Override
    public HistoryChecker.Violation progressed(int worker, int thread, long t) {
        String owner = owner(worker, thread);
        lastT.merge(owner, t, Math::max);
        Set<String> keys = keysOf.get(owner);
        if (keys == null || keys.isEmpty()) {
            return null;
        }
        for (String key : keys) {
            Section s = inside.get(key).get(owner);
            HistoryChecker.Violation v = against(key, owner, s.start(), lastT.get(owner), s.enter(), owner);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    @Override
    public HistoryChecker.Violation workerEnded(int worker, long lastEventNanos, long killedAtNanos) {
        String prefix = "w" + worker + "/";
        HistoryChecker.Violation found = null;
        for (Map.Entry<String, Set<String>> e : keysOf.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            for (Iterator<String> it = e.getValue().iterator(); it.hasNext(); ) {
                String key = it.next();
                Section s = inside.get(key).remove(e.getKey());
                it.remove();
                // never exited: inside until the worker's last event, as MutualExclusionChecker counts it
                HistoryChecker.Violation v = against(key, e.getKey(), s.start(), lastEventNanos, s.enter(), null);
                found = found == null ? v : found;
                ArrayDeque<Closed> q = recent.computeIfAbsent(key, k -> new ArrayDeque<>());
                q.addLast(new Closed(e.getKey(), s.start(), lastEventNanos, s.enter()));
                if (q.size() > recentPerKey) {
                    q.removeFirst();
                }
            }
        }
        return found;
    }

    /**
     * Checks the section of {@code owner} on {@code key} from {@code start}, certainly lasting until {@code end},
     * against every other owner's open and recent sections of the key.
     */
    private HistoryChecker.Violation against(String key, String owner, long start, long end, Op enter, String self) {
        Map<String, Section> in = inside.get(key);
        if (in != null) {
            for (Section o : in.values()) {
                if (!o.owner().equals(owner)
                        && overlap(start, end, o.start(), lastT.getOrDefault(o.owner(), o.start()))) {
                    return violation(key, owner, start, enter, o.owner(), o.start(), o.enter());
                }
            }
        }
        ArrayDeque<Closed> q = recent.get(key);
        if (q != null) {
            for (Closed c : q) {
                if (!c.owner().equals(owner) && overlap(start, end, c.start(), c.end())) {
                    return violation(key, owner, start, enter, c.owner(), c.start(), c.enter());
                }
            }
        }
        return null;
    }

    /** As Intervals.overlaps sweeps: the later-starting section starts strictly before the earlier one ends. */
    private static boolean overlap(long s1, long e1, long s2, long e2) {
        return s1 <= s2 ? s2 < e1 && s2 <= e2 : s1 < e2 && s1 <= e1;
    }

    private static HistoryChecker.Violation violation(String key, String a, long aStart, Op aEnter, String b,
                                                      long bStart, Op bEnter) {
        List<Op> ops = new ArrayList<>();
        boolean aFirst = aStart <= bStart;
        ops.add(aFirst ? aEnter : bEnter);
        ops.add(aFirst ? bEnter : aEnter);
        return new HistoryChecker.Violation("mutual-exclusion", key, (aFirst ? b : a) + " entered while "
                + (aFirst ? a : b) + " was still inside", ops);
    }

    @Override
    public int trackedKeys() {
        return Math.max(inside.size(), recent.size());
    }
}
