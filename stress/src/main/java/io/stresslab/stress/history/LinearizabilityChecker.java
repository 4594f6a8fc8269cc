package io.stresslab.stress.history;

import io.stresslab.core.concurrent.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Checks that a history is linearizable against a sequential {@link Model}, one key at a time (P-compositionality:
 * a history is linearizable iff each key's sub-history is, so keys are checked independently, in parallel).
 *
 * <p>Per key: the Wing–Gong search with Lowe's just-in-time linearization, as in Porcupine. Call and return events
 * sit in one time-ordered doubly linked list; the search linearizes a pending call (removing it and its return from
 * the list) when the model accepts it, and backtracks when it meets a return whose call is not linearized yet. Every
 * (linearized set, state) pair is remembered, so no configuration is explored twice. FAIL ops are left out (no
 * effect); INFO ops return at +∞ — they may be linearized anywhere after their call, or never — and INFO reads are
 * left out. The history is linearizable once every non-INFO op is linearized.
 *
 * <p><b>Verdicts that do not depend on scheduling.</b> Keys are searched in rounds of search steps, not of time:
 * every key gets a first slice of {@value #FIRST_SLICE} steps (in key order) before any key gets a second, and each
 * further slice of a key doubles. A key that is cheap to decide is therefore decided in the same round whatever the
 * thread count and whichever expensive keys sit beside it, and the first key proven NOT_LINEARIZABLE ends the whole
 * check (the remaining keys are cancelled). A key stops UNKNOWN when its own time ({@code keyBudget}), the total
 * time ({@code budget}) or the search memory ({@code memoryLimit}, an estimate of the memo's bytes over all keys;
 * an {@link OutOfMemoryError} of the search counts as reaching it) runs out; its {@link KeyResult} says which, and how
 * far the search got.
 *
 * <p>On failure the key's {@link KeyResult} explains it minimally: the longest linearizable prefix found, the state
 * after it, and the operations that could not be linearized next (the op whose return blocked, and the calls pending
 * with it).
 */
public final class LinearizabilityChecker<S> {
    /** Steps of a key's first slice; each later slice of the same key doubles, up to 2^20 times this. */
    public static final int FIRST_SLICE = 20_000;

    private final Model<S> model;
    private final int parallelism;
    private final Duration budget;
    private final Duration keyBudget;
    private final long memoryLimit;

    /**
     * A checker on {@code parallelism} threads that gives up (UNKNOWN) on keys still unresolved after {@code budget}.
     */
    public LinearizabilityChecker(Model<S> model, int parallelism, Duration budget) {
        this(model, parallelism, budget, budget, defaultMemoryLimit());
    }

    /** Two threads, one minute. */
    public LinearizabilityChecker(Model<S> model) {
        this(model, 2, Duration.ofMinutes(1));
    }

    private LinearizabilityChecker(Model<S> model, int parallelism, Duration budget, Duration keyBudget,
                                   long memoryLimit) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        if (memoryLimit < 1) {
            throw new IllegalArgumentException("the memory limit must be positive");
        }
        this.model = Objects.requireNonNull(model);
        this.parallelism = parallelism;
        this.budget = Objects.requireNonNull(budget);
        this.keyBudget = Objects.requireNonNull(keyBudget);
        this.memoryLimit = memoryLimit;
    }

    /** Half the heap the JVM may grow to. */
    public static long defaultMemoryLimit() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    /** This checker with a per-key time budget (default: the total budget). */
    public LinearizabilityChecker<S> withKeyBudget(Duration perKey) {
        return new LinearizabilityChecker<>(model, parallelism, budget, perKey, memoryLimit);
    }

    /** This checker with a bound on the search memory, in (estimated) bytes over all keys. */
    public LinearizabilityChecker<S> withMemoryLimit(long bytes) {
        return new LinearizabilityChecker<>(model, parallelism, budget, keyBudget, bytes);
    }

    public Model<S> model() {
        return model;
    }

    public enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, UNKNOWN }

    /**
     * One key's verdict. For NOT_LINEARIZABLE, the explanation: {@code longestPrefix} (a linearization of that many
     * ops), {@code stateAfterPrefix}, and {@code notLinearizable} (the ops none of which can go next). For UNKNOWN,
     * {@code reason} (which limit stopped it) and how far it got: {@code deepest} (the longest linearized prefix
     * reached), {@code steps} and {@code states} (configurations memoized).
     */
    public record KeyResult(String key, Verdict verdict, int ops, List<Op> longestPrefix, String stateAfterPrefix,
                            List<Op> notLinearizable, int deepest, long steps, long states, String reason) {
        /** One line for a report. */
        public String describe() {
            return switch (verdict) {
                case LINEARIZABLE -> "key " + key + ": linearizable (" + ops + " ops)";
                case UNKNOWN -> "key " + key + ": not decided (" + reason + "); got to a linearized prefix of "
                        + deepest + " of " + ops + " ops after " + String.format("%,d", steps) + " steps, "
                        + String.format("%,d", states) + " states";
                case NOT_LINEARIZABLE -> "key " + key + ": NOT linearizable; after a linearizable prefix of "
                        + longestPrefix.size() + " ops (state " + stateAfterPrefix + ") none of " + notLinearizable
                        + " can take effect next";
            };
        }
    }

    /**
     * The whole history's verdict: NOT_LINEARIZABLE if any key is, else UNKNOWN if any key is, else LINEARIZABLE.
     * {@code failures}: every key not LINEARIZABLE, the NOT_LINEARIZABLE ones first (then by key).
     */
    public record Result(Verdict verdict, int keys, int ops, Duration elapsed, List<KeyResult> failures) {
        public boolean linearizable() {
            return verdict == Verdict.LINEARIZABLE;
        }

        /** The keys proven not linearizable. */
        public List<KeyResult> notLinearizable() {
            return failures.stream().filter(f -> f.verdict() == Verdict.NOT_LINEARIZABLE).toList();
        }

        /** The keys left undecided, with why and how far each got. */
        public List<KeyResult> undecided() {
            return failures.stream().filter(f -> f.verdict() == Verdict.UNKNOWN).toList();
        }

        public String describe() {
            String head = verdict + ": " + ops + " ops over " + keys + " keys checked in " + elapsed.toMillis() + " ms";
            if (failures.isEmpty()) {
                return head;
            }
            if (verdict == Verdict.UNKNOWN) {
                List<KeyResult> u = undecided();
                return head + "; " + u.size() + " key(s) undecided: " + String.join("; ", u.stream().limit(5)
                        .map(KeyResult::describe).toList()) + (u.size() > 5 ? " (+" + (u.size() - 5) + " more)" : "");
            }
            List<KeyResult> bad = notLinearizable();
            return head + "; " + bad.get(0).describe() + (bad.size() > 1 ? " (+" + (bad.size() - 1)
                    + " more keys)" : "");
        }
    }

    public Result check(History history) {
        for (Op op : history.ops()) {
            try {
                model.validate(op);
            } catch (IllegalArgumentException e) {
                throw new HistoryFormatException(history.origin(op), e.getMessage());
            }
        }
        return check(history.byKey());
    }

    /** Checks every key of {@code opsByKey} independently on this checker's threads. */
    public Result check(Map<String, List<Op>> opsByKey) {
        long start = System.nanoTime();
        Run run = new Run(start + budget.toNanos());
        List<Search> searches = new ArrayList<>(opsByKey.size());
        opsByKey.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> searches.add(new Search(e.getKey(), e.getValue(), searches.size(), run)));
        KeyResult[] results = run.runAll(searches);
        List<KeyResult> failures = Arrays.stream(results).filter(r -> r.verdict() != Verdict.LINEARIZABLE)
                .sorted(Comparator.comparing((KeyResult r) -> r.verdict() == Verdict.NOT_LINEARIZABLE ? 0 : 1)
                        .thenComparing(KeyResult::key)).toList();
        Verdict v = failures.isEmpty() ? Verdict.LINEARIZABLE : failures.get(0).verdict();
        int ops = opsByKey.values().stream().mapToInt(List::size).sum();
        return new Result(v, opsByKey.size(), ops, Duration.ofNanos(System.nanoTime() - start), failures);
    }

    /** Checks one key's operations (any order; all with this key) on the calling thread. */
    public KeyResult checkKey(String key, List<Op> ops) {
        Run run = new Run(System.nanoTime() + budget.toNanos());
        return run.runAll(List.of(new Search(key, ops, 0, run)))[0];
    }

    /** One check: the shared deadline, memory account, cancellation and the round-robin queue of searches. */
    private final class Run {
        final long deadline;
        final AtomicLong memory = new AtomicLong();
        final AtomicBoolean failed = new AtomicBoolean();
        final AtomicReference<String> failedKey = new AtomicReference<>();
        final PriorityQueue<Search> queue = new PriorityQueue<>(Comparator.comparingInt((Search s) -> s.round)
                .thenComparingInt(s -> s.index));
        final AtomicReference<Throwable> crash = new AtomicReference<>();
        KeyResult[] results;

        Run(long deadline) {
            this.deadline = deadline;
        }

        KeyResult[] runAll(List<Search> searches) {
            results = new KeyResult[searches.size()];
            queue.addAll(searches);
            int threads = Math.min(parallelism, Math.max(1, searches.size()));
            if (threads == 1) {
                work();
            } else {
                List<Thread> pool = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    pool.add(Threads.start("stresslab-linearizability-" + i, this::work));
                }
                for (Thread t : pool) {
                    try {
                        // each worker checks the deadline itself; this join waits at most a little past it
                        t.join();
                    } catch (InterruptedException e) {
                        failed.set(true);
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while checking linearizability", e);
                    }
                }
            }
            Throwable c = crash.get();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c != null) {
                throw new IllegalStateException("linearizability check failed: " + c, c);
            }
            return results;
        }

        private void work() {
            while (true) {
                Search s;
                synchronized (queue) {
                    s = queue.poll();
                }
                if (s == null) {
                    return;
                }
                KeyResult r;
                try {
                    r = s.slice();
                } catch (MemoryLimit e) {
                    r = s.unknown("the search memory limit of " + mb(memoryLimit) + " over all keys was reached ("
                            + "this key's memo: " + mb(s.memoBytes) + ")");
                    s.releaseMemo();
                } catch (OutOfMemoryError e) {
                    s.releaseMemo();
                    r = s.unknown("out of memory (the JVM heap ran out during the search; give it more with -Xmx)");
                } catch (RuntimeException | Error e) {
                    crash.compareAndSet(null, e);
                    failed.set(true);
                    r = s.unknown("crashed: " + e);
                }
                if (r == null) {
                    synchronized (queue) {
                        queue.add(s);
                    }
                    continue;
                }
                s.releaseMemo();
                results[s.index] = r;
                // the key first, then the flag: a search that sees the flag also sees which key failed
                if (r.verdict() == Verdict.NOT_LINEARIZABLE && failedKey.compareAndSet(null, s.key)) {
                    failed.set(true);
                }
            }
        }

        /** Why a search should stop now, or null to go on. */
        String stopReason(Search s) {
            if (failed.get()) {
                String key = failedKey.get();
                return key == null ? "cancelled" : "cancelled: key " + key + " is not linearizable";
            }
            long now = System.nanoTime();
            if (now - deadline > 0) {
                return "the total budget of " + human(budget) + " ran out";
            }
            if (s.elapsedNanos + (now - s.sliceStart) > keyBudget.toNanos()) {
                return "the key budget of " + human(keyBudget) + " ran out";
            }
            return null;
        }
    }

    private static String mb(long bytes) {
        return (bytes + (1 << 19)) / (1 << 20) + " MB";
    }

    private static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 != 0 ? ms + " ms" : ms % 60_000 != 0 || ms == 0 ? ms / 1000 + " s" : ms / 60_000 + " min";
    }

    /** A call or return event in the search's linked list. */
    private static final class Entry {
        final Op op;
        final int id;
        final boolean call;
        final long time;
        Entry match;
        Entry prev;
        Entry next;

        Entry(Op op, int id, boolean call, long time) {
            this.op = op;
            this.id = id;
            this.call = call;
            this.time = time;
        }
    }

    /** A linearized set (a snapshot) plus a state: the memo key. */
    private static final class Config {
        final long[] bits;
        final Object state;
        final int hash;

        Config(long[] bits, long bitsHash, Object state) {
            this.bits = bits;
            this.state = state;
            this.hash = Long.hashCode(bitsHash) * 31 + state.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && c.hash == hash && Arrays.equals(c.bits, bits) && c.state.equals(state);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** The linearization so far, as an immutable linked stack (so remembering the best prefix costs nothing). */
    private record Frame<S>(Entry call, S stateBefore, Frame<S> parent, int depth) {
    }

    private static long zobrist(int id) {
        long z = (id + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The depth-first search of one key, resumable slice by slice. */
    private final class Search {
        final String key;
        final int index;
        final Run run;
        final Entry head = new Entry(null, -1, false, Long.MIN_VALUE);
        final int size;
        final int definite;
        final int entryBytes;
        int round;
        long elapsedNanos;
        long sliceStart;
        long steps;
        // search state
        boolean started;
        S state;
        long[] linearized;
        long bitsHash;
        Set<Config> seen = new HashSet<>();
        long memoBytes;
        long releasedStates;
        Frame<S> top;
        int left;
        Entry entry;
        // best explanation
        Frame<S> bestTop;
        int bestDepth = -1;
        S bestState;
        List<Op> bestStuck = List.of();

        Search(String key, List<Op> ops, int index, Run run) {
            this.key = key;
            this.index = index;
            this.run = run;
            List<Entry> events = new ArrayList<>();
            int id = 0;
            int sure = 0;
            for (Op op : ops) {
                boolean info = op.status() == Op.Status.INFO;
                if (op.status() == Op.Status.FAIL || info && model.isReadOnly(op)) {
                    continue;
                }
                Entry call = new Entry(op, id, true, op.invokeNanos());
                Entry ret = new Entry(op, id, false, info ? Op.NEVER : op.completeNanos());
                call.match = ret;
                events.add(call);
                events.add(ret);
                id++;
                if (!info) {
                    sure++;
                }
            }
            size = id;
            definite = sure;
            entryBytes = 16 + 8 * ((size + 63) >>> 6) + 32 + 48;
            // by time; at equal times calls first, so touching operations count as concurrent
            events.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> !e.call));
            Entry prev = head;
            for (Entry e : events) {
                prev.next = e;
                e.prev = prev;
                prev = e;
            }
        }

        /** Runs one slice: a verdict, or null when the slice ended undecided and the key may go on. */
        KeyResult slice() {
            sliceStart = System.nanoTime();
            try {
                String stop = run.stopReason(this);
                if (stop != null) {
                    return unknown(stop);
                }
                return search((long) FIRST_SLICE << Math.min(round, 20));
            } finally {
                elapsedNanos += System.nanoTime() - sliceStart;
                round++;
            }
        }

        private KeyResult search(long maxSteps) {
            if (!started) {
                started = true;
                state = model.init();
                bestState = state;
                linearized = new long[(size + 63) >>> 6];
                left = definite;
                entry = head.next;
            }
            long limit = steps + maxSteps;
            while (left > 0) {
                if ((++steps & 1023) == 0) {
                    String stop = run.stopReason(this);
                    if (stop != null) {
                        return unknown(stop);
                    }
                    if (steps >= limit) {
                        return null;
                    }
                }
                if (entry.call) {
                    Optional<S> next = model.step(state, entry.op);
                    if (next.isPresent() && remember(entry.id, next.get())) {
                        top = new Frame<>(entry, state, top, top == null ? 1 : top.depth + 1);
                        state = next.get();
                        lift(entry);
                        if (entry.op.status() != Op.Status.INFO) {
                            left--;
                        }
                        entry = head.next;
                        continue;
                    }
                    entry = entry.next;
                } else {
                    // a return whose call is not linearized: this branch is stuck
                    int depth = top == null ? 0 : top.depth;
                    if (depth > bestDepth) {
                        explain(entry, depth);
                    }
                    if (top == null) {
                        return result(Verdict.NOT_LINEARIZABLE);
                    }
                    Frame<S> f = top;
                    top = f.parent;
                    state = f.stateBefore();
                    flip(f.call().id);
                    unlift(f.call());
                    if (f.call().op.status() != Op.Status.INFO) {
                        left++;
                    }
                    entry = f.call().next;
                }
            }
            return result(Verdict.LINEARIZABLE);
        }

        /** Adds (linearized + id, next) to the memo; false if it was there. On true, id stays in the set. */
        private boolean remember(int id, S next) {
            flip(id);
            if (seen.add(new Config(linearized.clone(), bitsHash, next))) {
                long bytes = entryBytes + model.stateBytes(next);
                memoBytes += bytes;
                if (run.memory.addAndGet(bytes) > memoryLimit) {
                    throw new MemoryLimit();
                }
                return true;
            }
            flip(id);
            return false;
        }

        private void flip(int id) {
            linearized[id >>> 6] ^= 1L << id;
            bitsHash ^= zobrist(id);
        }

        private void explain(Entry blocked, int depth) {
            List<Op> stuck = new ArrayList<>();
            for (Entry e = head.next; e != blocked; e = e.next) {
                if (e.call) {
                    stuck.add(e.op);
                }
            }
            bestDepth = depth;
            bestTop = top;
            bestState = state;
            bestStuck = stuck.stream().distinct().toList();
        }

        void releaseMemo() {
            releasedStates += seen.size();
            run.memory.addAndGet(-memoBytes);
            memoBytes = 0;
            seen = new HashSet<>();
        }

        KeyResult unknown(String reason) {
            return new KeyResult(key, Verdict.UNKNOWN, size, List.of(), null, List.of(), Math.max(bestDepth, 0),
                    steps, seen.size() + releasedStates, reason);
        }

        private KeyResult result(Verdict v) {
            if (v != Verdict.NOT_LINEARIZABLE) {
                return new KeyResult(key, v, size, List.of(), null, List.of(), size, steps, seen.size(), null);
            }
            List<Op> prefix = new ArrayList<>();
            for (Frame<S> f = bestTop; f != null; f = f.parent) {
                prefix.add(f.call().op);
            }
            java.util.Collections.reverse(prefix);
            return new KeyResult(key, v, size, List.copyOf(prefix), model.describe(bestState), bestStuck,
                    prefix.size(), steps, seen.size(), null);
        }

        private void lift(Entry call) {
            call.prev.next = call.next;
            call.next.prev = call.prev;
            Entry ret = call.match;
            ret.prev.next = ret.next;
            if (ret.next != null) {
                ret.next.prev = ret.prev;
            }
        }

        private void unlift(Entry call) {
            Entry ret = call.match;
            ret.prev.next = ret;
            if (ret.next != null) {
                ret.next.prev = ret;
            }
            call.prev.next = call;
            call.next.prev = call;
        }
    }

    /** Thrown inside a search whose memo pushed the check past its memory limit. */
    private static final class MemoryLimit extends RuntimeException {
        MemoryLimit() {
            super(null, null, false, false);
        }
    }
}
