package io.stresslab.stress.history;

import io.stresslab.core.concurrent.Threads;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
 * <p>On failure the key's {@link KeyResult} explains it minimally: the longest linearizable prefix found, the state
 * after it, and the operations that could not be linearized next (the op whose return blocked, and the calls pending
 * with it).
 */
public final class LinearizabilityChecker<S> {
    private final Model<S> model;
    private final int parallelism;
    private final Duration budget;

    /** A checker on {@code parallelism} threads that gives up (UNKNOWN) on keys still unresolved after {@code budget}. */
    public LinearizabilityChecker(Model<S> model, int parallelism, Duration budget) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.model = Objects.requireNonNull(model);
        this.parallelism = parallelism;
        this.budget = Objects.requireNonNull(budget);
    }

    /** Two threads, one minute. */
    public LinearizabilityChecker(Model<S> model) {
        this(model, 2, Duration.ofMinutes(1));
    }

    public enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, UNKNOWN }

    /** One key's verdict; for NOT_LINEARIZABLE, the explanation. */
    public record KeyResult(String key, Verdict verdict, int ops, List<Op> longestPrefix, String stateAfterPrefix,
                            List<Op> notLinearizable) {
        /** One line for a report. */
        public String describe() {
            return switch (verdict) {
                case LINEARIZABLE -> "key " + key + ": linearizable (" + ops + " ops)";
                case UNKNOWN -> "key " + key + ": not decided within the budget (" + ops + " ops)";
                case NOT_LINEARIZABLE -> "key " + key + ": NOT linearizable; after a linearizable prefix of "
                        + longestPrefix.size() + " ops (state " + stateAfterPrefix + ") none of " + notLinearizable
                        + " can take effect next";
            };
        }
    }

    /** The whole history's verdict: NOT_LINEARIZABLE if any key is, else UNKNOWN if any key is, else LINEARIZABLE. */
    public record Result(Verdict verdict, int keys, int ops, Duration elapsed, List<KeyResult> failures) {
        public boolean linearizable() {
            return verdict == Verdict.LINEARIZABLE;
        }

        public String describe() {
            String head = verdict + ": " + ops + " ops over " + keys + " keys checked in " + elapsed.toMillis() + " ms";
            return failures.isEmpty() ? head : head + "; " + failures.get(0).describe()
                    + (failures.size() > 1 ? " (+" + (failures.size() - 1) + " more keys)" : "");
        }
    }

    public Result check(History history) {
        return check(history.byKey());
    }

    /** Checks every key of {@code opsByKey} independently on this checker's threads. */
    public Result check(Map<String, List<Op>> opsByKey) {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        List<Map.Entry<String, List<Op>>> keys = new ArrayList<>(opsByKey.entrySet());
        keys.sort(Comparator.comparingInt((Map.Entry<String, List<Op>> e) -> e.getValue().size()).reversed());
        List<KeyResult> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism,
                Threads.single("stresslab-linearizability"));
        try {
            List<Future<KeyResult>> futures = new ArrayList<>();
            for (Map.Entry<String, List<Op>> e : keys) {
                futures.add(pool.submit(() -> checkKey(e.getKey(), e.getValue(), deadline)));
            }
            for (Future<KeyResult> f : futures) {
                results.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking linearizability", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("linearizability check failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<KeyResult> failures = results.stream().filter(r -> r.verdict() != Verdict.LINEARIZABLE)
                .sorted(Comparator.comparing((KeyResult r) -> r.verdict()).thenComparing(KeyResult::key)).toList();
        Verdict v = failures.isEmpty() ? Verdict.LINEARIZABLE : failures.get(0).verdict();
        int ops = opsByKey.values().stream().mapToInt(List::size).sum();
        return new Result(v, opsByKey.size(), ops, Duration.ofNanos(System.nanoTime() - start), failures);
    }

    /** Checks one key's operations (any order; all with this key). */
    public KeyResult checkKey(String key, List<Op> ops) {
        return checkKey(key, ops, System.nanoTime() + budget.toNanos());
    }

    private KeyResult checkKey(String key, List<Op> ops, long deadline) {
        return new Search(key, ops, deadline).run();
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

    /** A linearized set plus a state: the memo key. */
    private record Config(Bits linearized, Object state) {
    }

    private record Frame<S>(Entry call, S stateBefore) {
    }

    /** The depth-first search of one key. */
    private final class Search {
        final String key;
        final long deadline;
        final Entry head = new Entry(null, -1, false, Long.MIN_VALUE);
        final int size;
        int definite;
        List<Op> bestPrefix = List.of();
        S bestState;
        List<Op> bestStuck = List.of();

        Search(String key, List<Op> ops, long deadline) {
            this.key = key;
            this.deadline = deadline;
            List<Entry> events = new ArrayList<>();
            int id = 0;
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
                    definite++;
                }
            }
            size = id;
            // by time; at equal times calls first, so touching operations count as concurrent
            events.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> !e.call));
            Entry prev = head;
            for (Entry e : events) {
                prev.next = e;
                e.prev = prev;
                prev = e;
            }
        }

        KeyResult run() {
            S state = model.init();
            bestState = state;
            Bits linearized = new Bits(size);
            Set<Config> seen = new HashSet<>();
            Deque<Frame<S>> calls = new ArrayDeque<>();
            int left = definite;
            long steps = 0;
            Entry entry = head.next;
            while (left > 0) {
                if ((++steps & 4095) == 0 && System.nanoTime() - deadline > 0) {
                    return result(Verdict.UNKNOWN);
                }
                if (entry.call) {
                    Optional<S> next = model.step(state, entry.op);
                    if (next.isPresent()) {
                        Bits with = linearized.with(entry.id);
                        if (seen.add(new Config(with, next.get()))) {
                            calls.push(new Frame<>(entry, state));
                            state = next.get();
                            linearized = with;
                            lift(entry);
                            if (entry.op.status() != Op.Status.INFO) {
                                left--;
                            }
                            entry = head.next;
                            continue;
                        }
                    }
                    entry = entry.next;
                } else {
                    // a return whose call is not linearized: this branch is stuck
                    if (calls.size() >= bestPrefix.size()) {
                        remember(calls, state, entry);
                    }
                    if (calls.isEmpty()) {
                        return result(Verdict.NOT_LINEARIZABLE);
                    }
                    Frame<S> top = calls.pop();
                    state = top.stateBefore();
                    linearized = linearized.without(top.call().id);
                    unlift(top.call());
                    if (top.call().op.status() != Op.Status.INFO) {
                        left++;
                    }
                    entry = top.call().next;
                }
            }
            return result(Verdict.LINEARIZABLE);
        }

        private void remember(Deque<Frame<S>> calls, S state, Entry blocked) {
            List<Op> prefix = new ArrayList<>(calls.size());
            calls.descendingIterator().forEachRemaining(f -> prefix.add(f.call().op));
            List<Op> stuck = new ArrayList<>();
            for (Entry e = head.next; e != blocked; e = e.next) {
                if (e.call) {
                    stuck.add(e.op);
                }
            }
            bestPrefix = prefix;
            bestState = state;
            bestStuck = stuck;
        }

        private KeyResult result(Verdict v) {
            if (v != Verdict.NOT_LINEARIZABLE) {
                return new KeyResult(key, v, size, List.of(), null, List.of());
            }
            return new KeyResult(key, v, size, List.copyOf(bestPrefix), model.describe(bestState),
                    List.copyOf(bestStuck));
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

    /** An immutable bit set with a cached hash, for the memo. */
    private static final class Bits {
        private final long[] words;
        private final int hash;

        Bits(int size) {
            this(new long[(size + 63) >>> 6]);
        }

        private Bits(long[] words) {
            this.words = words;
            this.hash = Arrays.hashCode(words);
        }

        Bits with(int i) {
            long[] w = words.clone();
            w[i >>> 6] |= 1L << i;
            return new Bits(w);
        }

        Bits without(int i) {
            long[] w = words.clone();
            w[i >>> 6] &= ~(1L << i);
            return new Bits(w);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bits b && b.hash == hash && Arrays.equals(b.words, words);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
