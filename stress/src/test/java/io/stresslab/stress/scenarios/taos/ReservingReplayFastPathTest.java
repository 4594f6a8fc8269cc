package io.stresslab.stress.scenarios.taos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stresslab.stress.harness.JcstressResult;
import io.stresslab.stress.harness.JcstressRunner;
import io.stresslab.stress.harness.RunSettings;
import org.junit.jupiter.api.Test;

/**
 * The after variant's own fast paths are checked: jcstress never sees a lock-free replay, or the takeover of an
 * expired entry, run the handler twice or answer with another response.
 */
class ReservingReplayFastPathTest {
    private static final Class<?>[] TESTS = {ReservingReplayJcstress.class, ReservingExpiredTakeoverJcstress.class};

    @Test
    void aReplayRacingTheSettleGetsTheOwnersResponse() {
        assertNeverForbidden(ReservingReplayJcstress.class);
    }

    @Test
    void twoRetriesOfAnExpiredKeyRunTheHandlerOnce() {
        assertNeverForbidden(ReservingExpiredTakeoverJcstress.class);
    }

    private static void assertNeverForbidden(Class<?> test) {
        JcstressResult r = JcstressRunner.runShared(RunSettings.fromSystemProperties(), TESTS); // one fork for both
        assertTrue(r.samples(test) > 0, r.describe(test));
        assertEquals(0, r.samples(test, JcstressResult.Expectation.FORBIDDEN), r.describe(test));
    }
}
