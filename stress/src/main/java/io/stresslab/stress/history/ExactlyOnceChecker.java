package io.stresslab.stress.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Exactly-once side effect per key. {@code effectOp} is recorded where the side effect itself happens;
 * {@code requestOp} where a caller asks for it (its OK result is the response). Per key that was requested and
 * answered OK: more than one OK effect is a duplicate; no effect at all (neither OK nor INFO) is a lost request; two
 * different OK responses break idempotency.
 */
public final class ExactlyOnceChecker implements HistoryChecker {
    private final String effectOp;
    private final String requestOp;

    public ExactlyOnceChecker(String effectOp, String requestOp) {
        this.effectOp = effectOp;
        this.requestOp = requestOp;
    }

    @Override
    public List<Violation> check(History history) {
        List<Violation> out = new ArrayList<>();
        for (Map.Entry<String, List<Op>> e : history.byKey().entrySet()) {
            List<Op> ops = e.getValue();
            List<Op> answered = ops.stream().filter(o -> o.name().equals(requestOp) && o.ok()).toList();
            List<Op> effects = ops.stream().filter(o -> o.name().equals(effectOp) && o.status() != Op.Status.FAIL)
                    .toList();
            List<Op> okEffects = effects.stream().filter(Op::ok).toList();
            if (okEffects.size() > 1) {
                out.add(new Violation("exactly-once", e.getKey(), "side effect ran " + okEffects.size() + " times",
                        okEffects));
            }
            if (!answered.isEmpty() && effects.isEmpty()) {
                out.add(new Violation("exactly-once", e.getKey(), "answered but the side effect never ran",
                        answered.subList(0, 1)));
            }
            Set<String> responses = answered.stream().map(Op::result).collect(Collectors.toCollection(
                    java.util.TreeSet::new));
            if (responses.size() > 1) {
                Map<String, Op> firstPer = new TreeMap<>();
                answered.forEach(o -> firstPer.putIfAbsent(o.result(), o));
                out.add(new Violation("exactly-once", e.getKey(), responses.size() + " different responses "
                        + responses, List.copyOf(firstPer.values())));
            }
        }
        return out;
    }
}
