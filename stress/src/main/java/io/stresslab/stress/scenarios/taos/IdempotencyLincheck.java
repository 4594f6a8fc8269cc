package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.StoredResponse;
import io.stresslab.stress.harness.SubjectProperty;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * TAOS-1, any {@link IdempotencyStore} under Lincheck: {@code execute(key)} runs a handler that increments a per-key
 * counter and returns it, on a clock that never moves. Checked against {@link Spec}, an independent sequential store:
 * the first execute of a key returns 1 and every later one replays 1. A second handler run returns 2, which no
 * sequential order explains; a failed call returns -1.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:1")
public class IdempotencyLincheck {
    private static final IdempotencyKey[] KEYS = {Taos1Workload.key("k0"), Taos1Workload.key("k1")};

    private final IdempotencyStore store = SubjectProperty.create(IdempotencyStore.class, Taos1Workload.CLOCK,
            IdempotencySteps.RETENTION);
    private final int[] runs = new int[KEYS.length];

    @Operation
    public int execute(@Param(name = "key") int key) {
        try {
            StoredResponse r = store.execute(KEYS[key], Taos1Workload.FINGERPRINT,
                    () -> new StoredResponse(201, Integer.toString(++runs[key])), Taos1Workload.WAIT);
            return Integer.parseInt(r.body());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The sequential specification: within the retention every execute of a key answers the first run, 1. */
    public static class Spec {
        public int execute(int key) {
            return 1;
        }
    }
}
