package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.concurrent.ManualClock;
import io.stresslab.core.taos.IdempotencyException;
import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.StoredResponse;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The deterministic check of {@link IdempotencyStore}'s obligations, on a hand-moved {@link ManualClock}: a fixed
 * sequence of calls, each with the outcome the contract prescribes (replay, refusal, re-execution after the
 * retention, release after a handler failure), then the wait protocol with an owner held inside its handler
 * ({@link WaitProtocol}). The calls alternate between two stores {@code a} and {@code b}: the same instance for an
 * in-process store (TAOS-1), two instances on one database for a shared one (TAOS-3). Same steps, same judge for
 * every store.
 */
final class IdempotencySteps {
    static final Duration RETENTION = Duration.ofHours(1);
    private static final Duration NO_WAIT = Duration.ZERO;

    private IdempotencySteps() {
    }

    /** What each step did ("what → outcome"), and the steps whose outcome broke an obligation. */
    record Seen(List<String> steps, Findings wrong) {
    }

    /** What one call did: whether its handler ran, and its response or the reason it had none. */
    record Outcome(boolean ran, String result) {
        @Override
        public String toString() {
            return (ran ? "ran the handler, " : "ran nothing, ") + result;
        }
    }

    static Seen run(IdempotencyStore a, IdempotencyStore b, ManualClock clock) throws Exception {
        List<String> steps = new ArrayList<>();
        Findings wrong = new Findings();
        List<Outcome> raw = new ArrayList<>();
        Step step = (what, store, key, fp, handlerGives, ran, result, obligation) -> {
            Outcome o = call(store, key, fp, handlerGives, NO_WAIT);
            steps.add(what + " → " + o);
            if (o.result().contains("Exception: ") || o.result().contains("Error: ")) {
                raw.add(o);
            }
            wrong.check(o.ran() != ran || !o.result().equals(result), obligation,
                    () -> what + ": " + o + " (the contract: " + new Outcome(ran, result) + ")");
        };
        StoredResponse created = new StoredResponse(201, "agent-1");
        IdempotencyKey k1 = key("alice", "k1");
        step.call("first call of k1 on a", a, k1, "fp-1", created, true, "201 agent-1", "once-per-key");
        step.call("k1 again on b", b, k1, "fp-1", new StoredResponse(201, "agent-1-2"), false, "201 agent-1",
                "replay-until-retention");
        step.call("k1 on b with another fingerprint", b, k1, "fp-2", created, false, "KEY_REUSED",
                "key-reused-refused");
        step.call("k1 of another principal on b", b, key("bob", "k1"), "fp-2", new StoredResponse(201, "bob"), true,
                "201 bob", "keys-independent");
        clock.advance(RETENTION.minusMillis(1));
        step.call("k1 on a, 1 ms before its retention ends", a, k1, "fp-1", new StoredResponse(201, "late"), false,
                "201 agent-1", "replay-until-retention");
        clock.advance(Duration.ofMillis(1));
        step.call("k1 on b as its retention ends", b, k1, "fp-1", new StoredResponse(201, "agent-1-again"), true,
                "201 agent-1-again", "runs-again-after-retention");
        IdempotencyKey k2 = key("alice", "k2");
        step.call("k2 on a, the handler answers 409", a, k2, "fp-1", new StoredResponse(409, "conflict"), true,
                "409 conflict", "once-per-key");
        step.call("k2 on b", b, k2, "fp-1", created, false, "409 conflict", "replay-until-retention");
        IdempotencyKey k3 = key("alice", "k3");
        step.call("k3 on a, the handler throws", a, k3, "fp-1", null, true, "HANDLER_FAILED",
                "handler-failure-released");
        step.call("k3 retried on b", b, k3, "fp-1", new StoredResponse(201, "agent-3"), true, "201 agent-3",
                "handler-failure-released");
        step.call("k3 again on a", a, k3, "fp-1", created, false, "201 agent-3", "replay-until-retention");
        if (raw.size() == steps.size()) { // one line, not one finding per step
            return new Seen(steps, new Findings().add("every call failed", "all " + steps.size() + " calls threw, the"
                    + " first: " + raw.get(0).result()));
        }
        WaitProtocol.run(a, b, key("alice", "k4"), steps, wrong);
        return new Seen(steps, wrong);
    }

    @FunctionalInterface
    private interface Step {
        void call(String what, IdempotencyStore store, IdempotencyKey key, String fingerprint,
                  StoredResponse handlerGives, boolean ran, String result, String obligation);
    }

    static IdempotencyKey key(String principal, String k) {
        return new IdempotencyKey("POST", "/api/agents", principal, k);
    }

    /** One call whose handler answers {@code gives} (throws when null); never throws itself. */
    static Outcome call(IdempotencyStore store, IdempotencyKey key, String fingerprint, StoredResponse gives,
                        Duration wait) {
        return call(store, key, fingerprint, () -> {
            if (gives == null) {
                throw new IllegalStateException("disk full");
            }
            return gives;
        }, wait);
    }

    /** One call of {@code handler}; never throws itself. */
    static Outcome call(IdempotencyStore store, IdempotencyKey key, String fingerprint,
                        Callable<StoredResponse> handler, Duration wait) {
        AtomicBoolean ran = new AtomicBoolean();
        try {
            StoredResponse r = store.execute(key, fingerprint, () -> {
                ran.set(true);
                return handler.call();
            }, wait);
            return new Outcome(ran.get(), r == null ? "null" : r.status() + " " + r.body());
        } catch (IdempotencyException e) {
            return new Outcome(ran.get(), e.reason().name());
        } catch (RuntimeException e) {
            return new Outcome(ran.get(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static Findings judge(Seen s) {
        return s.wrong();
    }

    static Observation describe(Seen s, Findings f) {
        return f.observe(s.steps().size() + " calls on a hand-moved clock (retention " + RETENTION.toMinutes()
                        + " min): replay, refusal of another fingerprint, re-execution after the retention, release"
                        + " after a handler failure, and a caller waiting on an owner held in its handler",
                "every call as the contract says")
                .operations(s.steps().size())
                .evidence("steps", s.steps());
    }
}
