package io.stresslab.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.Tool;
import io.stresslab.stress.harness.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeTest {
    private static CheckRecord mutant(String name, String check, Verdict v) {
        return SampleRecords.record("KAGENT-1", "mutant:" + name, Expect.REPRODUCE, "h2", Tool.LIVENESS, check, v,
                "", 1, 1, Map.of(), Map.of());
    }

    @Test
    void aMutantCaughtByALaterCheckIsNoRegression() {
        Outcome o = Outcome.of(List.of(mutant("A", "first", Verdict.NOT_REPRODUCED),
                mutant("A", "second", Verdict.REPRODUCED)));
        assertThat(o.state()).isEqualTo(Outcome.State.PASS);
        assertThat(o.records()).isEqualTo(1);
    }

    @Test
    void aMutantNoCheckCaughtFails() {
        Outcome o = Outcome.of(List.of(mutant("B", "first", Verdict.NOT_REPRODUCED),
                mutant("B", "second", Verdict.NOT_REPRODUCED)));
        assertThat(o.state()).isEqualTo(Outcome.State.FAIL);
        assertThat(o.failures()).hasSize(2);
    }
}
