package io.stresslab.stress.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates linearizable register histories by construction: per key, 4–8 threads run back-to-back operations; each
 * op takes effect at a random instant inside its interval, and results come from applying the ops in that order. A
 * few ops become INFO — half of them took effect (at any time after their call), half never did.
 */
final class RegisterHistoryGenerator {
    private record Planned(Op op, long point, boolean applies) {
    }

    private RegisterHistoryGenerator() {
    }

    static List<Op> generate(long seed, int keys, int opsPerKey, double infoRate) {
        return generate(seed, keys, opsPerKey, infoRate, 0);
    }

    /** As above with exactly {@code concurrency} threads per key (0: 4–8 at random). */
    static List<Op> generate(long seed, int keys, int opsPerKey, double infoRate, int concurrency) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Op> all = new ArrayList<>(keys * opsPerKey);
        long id = 0;
        for (int k = 0; k < keys; k++) {
            String key = "key-" + k;
            int threads = concurrency > 0 ? concurrency : 4 + rnd.nextInt(5);
            long[] cursor = new long[threads];
            List<Planned> plan = new ArrayList<>();
            for (int i = 0; i < opsPerKey; i++) {
                int t = i % threads;
                long invoke = cursor[t] + rnd.nextInt(20);
                long complete = invoke + 1 + rnd.nextInt(100);
                cursor[t] = complete;
                boolean info = rnd.nextDouble() < infoRate;
                boolean applies = !info || rnd.nextBoolean();
                long point = info ? invoke + rnd.nextInt(1000) : invoke + rnd.nextLong(complete - invoke + 1);
                int kind = rnd.nextInt(10);
                String name = kind < 4 ? "read" : kind < 7 ? "write" : "cas";
                List<String> args = switch (name) {
                    case "write" -> List.of(Integer.toString(rnd.nextInt(5)));
                    case "cas" -> List.of(Integer.toString(rnd.nextInt(5)), Integer.toString(rnd.nextInt(5)));
                    default -> List.of();
                };
                Op op = new Op(t, t, ++id, name, key, args, invoke, info ? Op.NEVER : complete,
                        info ? Op.Status.INFO : Op.Status.OK, null);
                plan.add(new Planned(op, point, applies));
            }
            plan.sort(Comparator.comparingLong(Planned::point));
            String state = "0";
            for (Planned p : plan) {
                Op op = p.op();
                if (!p.applies()) {
                    all.add(op);
                    continue;
                }
                String result = null;
                switch (op.name()) {
                    case "read" -> result = state;
                    case "write" -> state = op.arg(0);
                    default -> {
                        boolean swapped = state.equals(op.arg(0));
                        result = Boolean.toString(swapped);
                        state = swapped ? op.arg(1) : state;
                    }
                }
                all.add(withResult(op, result));
            }
        }
        return all;
    }

    static Op withResult(Op op, String result) {
        return new Op(op.worker(), op.thread(), op.id(), op.name(), op.key(), op.args(), op.invokeNanos(),
                op.completeNanos(), op.status(), result);
    }
}
