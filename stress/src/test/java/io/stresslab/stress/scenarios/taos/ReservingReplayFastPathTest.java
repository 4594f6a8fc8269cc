package io.stresslab.stress.scenarios.taos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stresslab.stress.harness.JcstressResult;
import io.stresslab.stress.harness.JcstressRunner;
import io.stresslab.stress.harness.RunSettings;
import org.junit.jupiter.api.Test;

/** The after variant's lock-free replay is itself checked: jcstress never sees the retry run or get another answer. */
class ReservingReplayFastPathTest {
    @Test
    void aReplayRacingTheSettleGetsTheOwnersResponse() {
        JcstressResult r = JcstressRunner.runShared(RunSettings.fromSystemProperties(),
                ReservingReplayJcstress.class);
        assertTrue(r.samples(ReservingReplayJcstress.class) > 0, r.describe(ReservingReplayJcstress.class));
        assertEquals(0, r.samples(ReservingReplayJcstress.class, JcstressResult.Expectation.FORBIDDEN),
                r.describe(ReservingReplayJcstress.class));
    }
}
