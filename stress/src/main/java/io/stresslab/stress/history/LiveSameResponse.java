package io.stresslab.stress.history;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The idempotency half of {@link ExactlyOnceChecker}, judged live: every OK {@code requestOp} of a key returns the
 * same response; a second, different OK response of a key is certain at once. (The checker's other halves — how many
 * times the side effect ran, whether it ran at all — need the database rows after the run and stay post-run.)
 *
 * <p>State: the first OK response of each of the last {@code window} keys (least recently answered keys are dropped,
 * so a difference between answers further apart than that many keys goes unseen live; the post-run checker still
 * sees it).
 */
public final class LiveSameResponse implements LiveJudge {
    private final String requestOp;
    private final Map<String, Op> first;

    public LiveSameResponse(String requestOp, int window) {
        this.requestOp = requestOp;
        this.first = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Op> eldest) {
                return size() > window;
            }
        };
    }

    @Override
    public HistoryChecker.Violation completed(Op op) {
        if (!op.name().equals(requestOp) || !op.ok()) {
            return null;
        }
        Op earlier = first.putIfAbsent(op.key(), op);
        if (earlier == null || java.util.Objects.equals(earlier.result(), op.result())) {
            return null;
        }
        TreeSet<String> responses = new TreeSet<>(List.of(String.valueOf(earlier.result()),
                String.valueOf(op.result())));
        return new HistoryChecker.Violation("exactly-once", op.key(), "2 different responses " + responses,
                List.of(earlier, op));
    }

    @Override
    public int trackedKeys() {
        return first.size();
    }
}
