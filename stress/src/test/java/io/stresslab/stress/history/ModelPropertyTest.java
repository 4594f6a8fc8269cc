package io.stresslab.stress.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.stresslab.stress.history.LinearizabilityChecker.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every model against a brute-force checker on small random histories: the brute force tries every order of the
 * operations that respects real time (each INFO op placed anywhere after its call, or left out) against a plain
 * reference implementation written here, independent of the {@link Model} code; the checker must agree on every
 * history. The histories are made linearizable by construction and then, half of the time, one output is replaced
 * by a random one — so both verdicts occur (the test asserts that each occurs often).
 */
class ModelPropertyTest {
    private static final int TRIALS = 400;

    /** A sequential reference implementation: the output of {@code f(in)}, changing this object's state. */
    interface Ref {
        Ref copy();

        Value apply(String key, String f, Value in);

        /** Whether a recorded output agrees with the reference's (writes' outputs are ignored). */
        default boolean matches(String f, Value expected, Value recorded) {
            return expected == null || expected.equals(recorded);
        }
    }

    /** One model's generator: its ops, its reference, its checker model, its output domain for mutations. */
    record Spec(String model, List<String> keys, Supplier<Ref> ref, OpGen gen, OutGen mutate) {
    }

    interface OpGen {
        Object[] next(SplittableRandom rnd); // {f, input}
    }

    interface OutGen {
        Value next(SplittableRandom rnd, String f, Value current);
    }

    static Value i(long n) {
        return Value.of(n);
    }

    static Spec spec(String model) {
        List<String> one = List.of("k");
        return switch (model) {
            case "register" -> new Spec(model, one, RegisterRef::new,
                    r -> r.nextBoolean() ? new Object[] {"read", Value.NIL} : new Object[] {"write", i(r.nextInt(3))},
                    (r, f, v) -> r.nextInt(4) == 0 ? Value.NIL : i(r.nextInt(3)));
            case "cas-register" -> new Spec(model, one, RegisterRef::new, r -> switch (r.nextInt(4)) {
                case 0 -> new Object[] {"read", Value.NIL};
                case 1 -> new Object[] {"write", i(r.nextInt(3))};
                case 2 -> new Object[] {"incr", Value.NIL};
                default -> new Object[] {"cas", Value.tuple(r.nextInt(4) == 0 ? Value.NIL : i(r.nextInt(3)),
                        i(r.nextInt(3)))};
            }, (r, f, v) -> f.equals("cas") ? Value.of(!((Value.Bool) v).value())
                    : f.equals("incr") || r.nextInt(4) != 0 ? i(r.nextInt(4)) : Value.NIL);
            case "kv" -> new Spec(model, List.of("a", "b"), KvRef::new, r -> switch (r.nextInt(3)) {
                case 0 -> new Object[] {"get", Value.NIL};
                case 1 -> new Object[] {"put", Value.of(r.nextBoolean() ? "p" : "q")};
                default -> new Object[] {"append", Value.of(r.nextBoolean() ? "x" : "y")};
            }, (r, f, v) -> List.of(Value.NIL, Value.of("p"), Value.of("x"), Value.of("px"), Value.of("qy"),
                    Value.of("xy")).get(r.nextInt(6)));
            case "set" -> new Spec(model, one, SetRef::new,
                    r -> r.nextInt(3) == 0 ? new Object[] {"read", Value.NIL} : new Object[] {"add", i(r.nextInt(3))},
                    (r, f, v) -> {
                        List<Value> items = new ArrayList<>();
                        for (int e = 0; e < 3; e++) {
                            if (r.nextBoolean()) {
                                items.add(i(e));
                            }
                        }
                        java.util.Collections.shuffle(items, new java.util.Random(r.nextLong()));
                        return Value.tuple(items);
                    });
            case "queue" -> new Spec(model, one, QueueRef::new,
                    r -> r.nextBoolean() ? new Object[] {"dequeue", Value.NIL}
                            : new Object[] {"enqueue", i(r.nextInt(3))},
                    (r, f, v) -> r.nextInt(4) == 0 ? Value.NIL : i(r.nextInt(3)));
            case "counter" -> new Spec(model, one, CounterRef::new,
                    r -> r.nextInt(3) == 0 ? new Object[] {"read", Value.NIL}
                            : new Object[] {"add", i(1 + r.nextInt(2))},
                    (r, f, v) -> i(r.nextInt(8)));
            case "lease" -> new Spec(model, one, LeaseRef::new, r -> {
                String h = r.nextBoolean() ? "a" : "b";
                return switch (r.nextInt(4)) {
                    case 0 -> new Object[] {"acquire", Value.of(h)};
                    case 1 -> new Object[] {"release", Value.of(h)};
                    case 2 -> new Object[] {"takeover", Value.tuple(Value.of(h), Value.of(h.equals("a") ? "b" : "a"))};
                    default -> new Object[] {"holder", Value.NIL};
                };
            }, (r, f, v) -> f.equals("holder") ? List.of(Value.of(""), Value.of("a"), Value.of("b")).get(r.nextInt(3))
                    : Value.of(!((Value.Bool) v).value()));
            case "execute-once" -> new Spec(model, one, ExecuteOnceRef::new, r -> new Object[] {"execute", Value.NIL},
                    (r, f, v) -> Value.of("v" + r.nextInt(3)));
            default -> throw new IllegalArgumentException(model);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"register", "cas-register", "kv", "set", "queue", "counter", "lease", "execute-once"})
    void checkerAgreesWithBruteForce(String model) {
        Spec spec = spec(model);
        Model<?> m = Models.byName(model, Value.NIL);
        LinearizabilityChecker<?> checker = new LinearizabilityChecker<>(m, 1, Duration.ofSeconds(30));
        int linearizable = 0;
        int not = 0;
        for (int seed = 0; seed < TRIALS; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed * 7919L + model.hashCode());
            History h = generate(spec, rnd);
            boolean expected = bruteForce(spec, h.ops());
            LinearizabilityChecker.Result r = checker.check(h);
            assertThat(r.verdict()).as("%s seed %d: %s", model, seed, h.ops())
                    .isEqualTo(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE);
            if (expected) {
                linearizable++;
            } else {
                not++;
            }
        }
        System.out.printf("model %s: %d random histories, %d linearizable, %d not — checker agreed on all%n",
                model, TRIALS, linearizable, not);
        assertThat(linearizable).as("linearizable histories generated").isGreaterThan(TRIALS / 5);
        assertThat(not).as("non-linearizable histories generated").isGreaterThan(TRIALS / 10);
    }

    /** A random history of 2–7 ops on 3 processes: outputs from a random linearization, then maybe one replaced. */
    static History generate(Spec spec, SplittableRandom rnd) {
        int n = 2 + rnd.nextInt(6);
        long[] cursor = new long[3];
        record Planned(int process, String key, String f, Value in, long invoke, long complete, Op.Status status,
                       long point, boolean applies) {
        }
        List<Planned> plan = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int p = rnd.nextInt(3);
            Object[] op = spec.gen().next(rnd);
            long invoke = cursor[p] + rnd.nextInt(6);
            long complete = invoke + 1 + rnd.nextInt(12);
            cursor[p] = complete + 1;
            int roll = rnd.nextInt(20);
            Op.Status status = roll < 2 ? Op.Status.INFO : roll < 3 ? Op.Status.FAIL : Op.Status.OK;
            boolean applies = status == Op.Status.OK || status == Op.Status.INFO && rnd.nextBoolean();
            long point = status == Op.Status.INFO ? invoke + rnd.nextInt(40)
                    : invoke + rnd.nextLong(complete - invoke + 1);
            plan.add(new Planned(p, spec.keys().get(rnd.nextInt(spec.keys().size())), (String) op[0], (Value) op[1],
                    invoke, status == Op.Status.INFO ? Op.NEVER : complete, status, point, applies));
        }
        List<Planned> byPoint = new ArrayList<>(plan);
        byPoint.sort(Comparator.comparingLong(Planned::point));
        Ref ref = spec.ref().get();
        Map<Planned, Value> outputs = new HashMap<>();
        for (Planned p : byPoint) {
            if (p.applies()) {
                Value out = ref.apply(p.key(), p.f(), p.in());
                outputs.put(p, out == null ? Value.NIL : out);
            }
        }
        List<Op> ops = new ArrayList<>();
        long id = 0;
        for (Planned p : plan) {
            Value out = p.status() == Op.Status.OK ? outputs.get(p) : p.status() == Op.Status.INFO ? Value.UNKNOWN
                    : Value.NIL;
            ops.add(new Op(p.process(), 0, ++id, p.f(), p.key(), p.in(), p.invoke(), p.complete(), p.status(), out));
        }
        if (rnd.nextBoolean()) {
            List<Integer> okOps = new ArrayList<>();
            for (int k = 0; k < ops.size(); k++) {
                if (ops.get(k).ok() && !ignoresOutput(ops.get(k).name())) {
                    okOps.add(k);
                }
            }
            if (!okOps.isEmpty()) {
                int k = okOps.get(rnd.nextInt(okOps.size()));
                Op o = ops.get(k);
                ops.set(k, new Op(o.worker(), o.thread(), o.id(), o.name(), o.key(), o.input(), o.invokeNanos(),
                        o.completeNanos(), o.status(), spec.mutate().next(rnd, o.name(), o.output())));
            }
        }
        return new History(ops);
    }

    static boolean ignoresOutput(String f) {
        return List.of("write", "put", "append", "add", "enqueue").contains(f);
    }

    /**
     * Every order respecting real time: an op may go next once every op that completed before its call went (INFO
     * ops never constrain others and may be left out; FAIL ops are left out; INFO reads need not go).
     */
    static boolean bruteForce(Spec spec, List<Op> all) {
        List<Op> ops = all.stream().filter(o -> o.status() != Op.Status.FAIL).toList();
        return search(spec, ops, new boolean[ops.size()], spec.ref().get());
    }

    private static boolean search(Spec spec, List<Op> ops, boolean[] done, Ref ref) {
        boolean allDefiniteDone = true;
        for (int k = 0; k < ops.size(); k++) {
            if (!done[k] && ops.get(k).status() == Op.Status.OK) {
                allDefiniteDone = false;
            }
        }
        if (allDefiniteDone) {
            return true;
        }
        for (int k = 0; k < ops.size(); k++) {
            if (done[k] || !minimal(ops, done, k)) {
                continue;
            }
            Op op = ops.get(k);
            Ref next = ref.copy();
            Value out = next.apply(op.key(), op.name(), op.input());
            if (op.status() == Op.Status.OK && !ignoresOutput(op.name())
                    && !next.matches(op.name(), out == null ? Value.NIL : out, op.output())) {
                continue;
            }
            done[k] = true;
            boolean found = search(spec, ops, done, next);
            done[k] = false;
            if (found) {
                return true;
            }
        }
        return false;
    }

    /** No op still to go completed strictly before op k was called. */
    private static boolean minimal(List<Op> ops, boolean[] done, int k) {
        for (int j = 0; j < ops.size(); j++) {
            if (!done[j] && j != k && ops.get(j).completeNanos() < ops.get(k).invokeNanos()) {
                return false;
            }
        }
        return true;
    }

    // ---- reference implementations, written independently of the models ----

    static final class RegisterRef implements Ref {
        Value v = Value.NIL;

        public Ref copy() {
            RegisterRef r = new RegisterRef();
            r.v = v;
            return r;
        }

        public Value apply(String key, String f, Value in) {
            switch (f) {
                case "read":
                    return v;
                case "write":
                    v = in;
                    return null;
                case "incr":
                    long n = v instanceof Value.Int x ? x.value() : 0;
                    v = Value.of(n + 1);
                    return v;
                default:
                    List<Value> t = ((Value.Tuple) in).items();
                    if (v.equals(t.get(0))) {
                        v = t.get(1);
                        return Value.of(true);
                    }
                    return Value.of(false);
            }
        }
    }

    static final class KvRef implements Ref {
        Map<String, String> m = new TreeMap<>();

        public Ref copy() {
            KvRef r = new KvRef();
            r.m = new TreeMap<>(m);
            return r;
        }

        public Value apply(String key, String f, Value in) {
            switch (f) {
                case "get":
                    return Value.of(m.get(key));
                case "put":
                    m.put(key, in.text());
                    return null;
                default:
                    m.put(key, m.getOrDefault(key, "") + in.text());
                    return null;
            }
        }
    }

    static final class SetRef implements Ref {
        HashSet<Value> s = new HashSet<>();

        public Ref copy() {
            SetRef r = new SetRef();
            r.s = new HashSet<>(s);
            return r;
        }

        public Value apply(String key, String f, Value in) {
            if (f.equals("add")) {
                s.add(in);
                return null;
            }
            return Value.tuple(new ArrayList<>(s));
        }

        @Override
        public boolean matches(String f, Value expected, Value recorded) {
            return new HashSet<>(((Value.Tuple) expected).items())
                    .equals(new HashSet<>(((Value.Tuple) recorded).items()));
        }
    }

    static final class QueueRef implements Ref {
        java.util.ArrayDeque<Value> q = new java.util.ArrayDeque<>();

        public Ref copy() {
            QueueRef r = new QueueRef();
            r.q = new java.util.ArrayDeque<>(q);
            return r;
        }

        public Value apply(String key, String f, Value in) {
            if (f.equals("enqueue")) {
                q.addLast(in);
                return null;
            }
            return q.isEmpty() ? Value.NIL : q.pollFirst();
        }
    }

    static final class CounterRef implements Ref {
        long n;

        public Ref copy() {
            CounterRef r = new CounterRef();
            r.n = n;
            return r;
        }

        public Value apply(String key, String f, Value in) {
            if (f.equals("add")) {
                n += ((Value.Int) in).value();
                return null;
            }
            return Value.of(n);
        }
    }

    static final class LeaseRef implements Ref {
        String holder = "";

        public Ref copy() {
            LeaseRef r = new LeaseRef();
            r.holder = holder;
            return r;
        }

        public Value apply(String key, String f, Value in) {
            switch (f) {
                case "acquire": {
                    String h = in.text();
                    if (holder.isEmpty() || holder.equals(h)) {
                        holder = h;
                        return Value.of(true);
                    }
                    return Value.of(false);
                }
                case "release": {
                    if (!holder.isEmpty() && holder.equals(in.text())) {
                        holder = "";
                        return Value.of(true);
                    }
                    return Value.of(false);
                }
                case "takeover": {
                    List<Value> t = ((Value.Tuple) in).items();
                    if (holder.equals(t.get(1).text())) {
                        holder = t.get(0).text();
                        return Value.of(true);
                    }
                    return Value.of(false);
                }
                default:
                    return Value.of(holder);
            }
        }
    }

    /**
     * The first execution picks a value (generation uses "v0"); every later one returns it. An INFO first execution
     * leaves the value unknown: the next OK one pins it.
     */
    static final class ExecuteOnceRef implements Ref {
        Value value; // null: not run; UNKNOWN: run, value not known yet
        boolean pending;

        public Ref copy() {
            ExecuteOnceRef r = new ExecuteOnceRef();
            r.value = value;
            r.pending = pending;
            return r;
        }

        public Value apply(String key, String f, Value in) {
            pending = value == null || value.isUnknown();
            if (pending) {
                value = Value.UNKNOWN;
                return Value.of("v0");
            }
            return value;
        }

        @Override
        public boolean matches(String f, Value expected, Value recorded) {
            if (pending) {
                value = recorded;
                pending = false;
                return true;
            }
            return expected.equals(recorded);
        }
    }
}
