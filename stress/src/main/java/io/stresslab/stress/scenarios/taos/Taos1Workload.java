package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.StoredResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The request every TAOS-1 check sends: {@code POST /api/agents} with an Idempotency-Key, whose handler creates an
 * agent and saves the config. taOS awaits the config file write, so other requests — the retry — run meanwhile; the
 * save is modelled by a short busy spin where parking would ruin jcstress's sample rate, and by a 100 µs park in the
 * thread-based check. Every check runs the very same handler against every store.
 */
final class Taos1Workload {
    /** Long enough that a waiter never gives up on a running owner in these checks; a timeout would be a bug. */
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String FINGERPRINT = "sha256-of-the-request-body";
    /** The clock of the jcstress and Lincheck checks: it never moves, so nothing expires during them. */
    static final Clock CLOCK = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
    private static final long SAVE_NANOS = 100_000;

    private Taos1Workload() {
    }

    static IdempotencyKey key(String k) {
        return new IdempotencyKey("POST", "/api/agents", "alice", k);
    }

    /** Stand-in for {@code save_config_locked} inside jcstress: a few microseconds on the CPU. */
    static void saveConfigSpin() {
        for (int i = 0; i < 100; i++) {
            Thread.onSpinWait();
        }
    }

    /** Stand-in for {@code save_config_locked} in real-thread checks: off the CPU for ~100 µs, like a file write. */
    static void saveConfigIo() {
        LockSupport.parkNanos(SAVE_NANOS);
    }

    /**
     * One call whose handler counts its executions: returns the response body as a number — the execution number
     * of the handler run that produced it (1 for the first run), or -1 when the call failed.
     */
    static int countedCall(IdempotencyStore store, IdempotencyKey key, AtomicInteger runs) {
        try {
            StoredResponse r = store.execute(key, FINGERPRINT, () -> {
                int run = runs.incrementAndGet();
                saveConfigSpin();
                return new StoredResponse(201, Integer.toString(run));
            }, WAIT);
            return Integer.parseInt(r.body());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * taOS's agent list: {@code add} takes the first free slug of the name — {@code name}, {@code name-2}, … — the
     * loop that turns a second execution for the same key into a silent duplicate instead of an error.
     */
    static final class AgentDirectory {
        private final Set<String> slugs = new HashSet<>();
        private final List<String> agents = new ArrayList<>();

        synchronized String add(String name) {
            String slug = name;
            for (int n = 2; !slugs.add(slug); n++) {
                slug = name + "-" + n;
            }
            agents.add(slug);
            return slug;
        }

        synchronized List<String> agents() {
            return List.copyOf(agents);
        }
    }
}
