package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.StoredResponse;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.support.ScenarioChecks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs {@link Taos1DatabaseChecks} on this branch, before core's in-memory caches are merged: the before cache is the
 * seed's get-then-set written out below, the after cache the process-local reserving stand-in. Once
 * GetThenSetIdempotencyCache and ReservingIdempotencyCache exist, Taos1Scenario runs these checks with them and this
 * test can go.
 */
class Taos1DatabaseTest {
    @TestFactory
    Stream<DynamicTest> checks() {
        return ScenarioChecks.of(new Scenario() {
            @Override
            public String bug() {
                return "TAOS-1";
            }

            @Override
            public String title() {
                return "idempotency cache get-then-set race (database checks)";
            }

            @Override
            public List<CheckSpec> checks() {
                return Taos1DatabaseChecks.checks(SeedGetThenSet::new, ProcessLocalIdempotencyCache::new);
            }
        });
    }

    /** The seed's cache: get and set each atomic on their own, the handler running unguarded in between. */
    private static final class SeedGetThenSet implements IdempotencyStore {
        private final Map<IdempotencyKey, StoredResponse> responses = new ConcurrentHashMap<>();

        @Override
        public StoredResponse execute(IdempotencyKey key, String fingerprint, Callable<StoredResponse> handler,
                                      Duration wait) {
            StoredResponse cached = responses.get(key);
            if (cached != null) {
                return cached;
            }
            try {
                StoredResponse fresh = handler.call();
                responses.put(key, fresh);
                return fresh;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
