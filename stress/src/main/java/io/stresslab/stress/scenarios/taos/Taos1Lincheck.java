package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.taos.GetThenSetIdempotencyCache;
import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.ReservingIdempotencyCache;
import io.stresslab.core.taos.StoredResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * TAOS-1 under Lincheck: {@code execute(key)} runs a handler that increments a per-key counter and returns it. The
 * sequential specification is this class run one operation at a time: the first execute of a key returns 1 and every
 * later one replays 1. A second handler run for a key returns 2, which no sequential order explains.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:1")
public abstract class Taos1Lincheck {
    private static final IdempotencyKey[] KEYS = {Taos1Workload.key("k0"), Taos1Workload.key("k1")};

    private final IdempotencyStore store;
    private final int[] runs = new int[KEYS.length];

    Taos1Lincheck(IdempotencyStore store) {
        this.store = store;
    }

    @Operation
    public int execute(@Param(name = "key") int key) {
        StoredResponse r = store.execute(KEYS[key], Taos1Workload.FINGERPRINT,
                () -> new StoredResponse(201, Integer.toString(++runs[key])), Taos1Workload.WAIT);
        return Integer.parseInt(r.body());
    }

    /** TAOS-1 before: Lincheck must find the interleaving get(miss), get(miss), run, run. */
    public static class GetThenSet extends Taos1Lincheck {
        public GetThenSet() {
            super(new GetThenSetIdempotencyCache());
        }
    }

    /** TAOS-1 after: every interleaving must be linearizable. A fixed clock keeps the run deterministic. */
    public static class Reserving extends Taos1Lincheck {
        public Reserving() {
            super(new ReservingIdempotencyCache(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)));
        }
    }
}
