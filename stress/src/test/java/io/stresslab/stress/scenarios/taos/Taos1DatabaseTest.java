package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.taos.GetThenSetIdempotencyCache;
import io.stresslab.core.taos.ReservingIdempotencyCache;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.support.ScenarioChecks;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs {@link Taos1DatabaseChecks} with core's two in-memory caches. Once Taos1Scenario includes these checks (its
 * owner merges them), this test duplicates Taos1Test's database rows and can go.
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
                return Taos1DatabaseChecks.checks(GetThenSetIdempotencyCache::new,
                        () -> new ReservingIdempotencyCache(Clock.systemUTC()));
            }
        });
    }
}
