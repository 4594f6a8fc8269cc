package io.stresslab.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.Tool;
import io.stresslab.stress.harness.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MutationsTest {
    private static CheckRecord r(String variant, Expect expect, Tool tool, Verdict verdict) {
        return SampleRecords.record("MOLECULE-2", variant, expect, "none", tool, "c-" + tool.json(), verdict, "s", 1,
                1, Map.of(), Map.of());
    }

    @Test
    void aMutantCaughtByALaterCheckIsNoFailureAndCountsAsCaught() {
        List<CheckRecord> records = List.of(
                r("mutant:A", Expect.REPRODUCE, Tool.THREADS, Verdict.NOT_REPRODUCED),
                r("mutant:A", Expect.REPRODUCE, Tool.LINCHECK, Verdict.REPRODUCED),
                r("alternative:Good", Expect.HOLD, Tool.THREADS, Verdict.HELD));
        Mutations.Tally t = Mutations.of("MOLECULE-2", records);
        assertThat(t.text()).isEqualTo("caught 1/1, alternatives held 1/1");
        assertThat(t.caughtBy()).containsEntry("mutant:A", "lincheck/c-lincheck");
        assertThat(Outcome.of(records).failures()).isEmpty();
    }

    @Test
    void aSurvivingMutantAndAViolatedAlternativeFailTheGate() {
        List<CheckRecord> records = List.of(
                r("mutant:B", Expect.REPRODUCE, Tool.THREADS, Verdict.NOT_REPRODUCED),
                r("mutant:B", Expect.REPRODUCE, Tool.JCSTRESS, Verdict.NOT_REPRODUCED),
                r("alternative:Bad", Expect.HOLD, Tool.THREADS, Verdict.VIOLATED));
        Mutations.Tally t = Mutations.of("MOLECULE-2", records);
        assertThat(t.passing()).isFalse();
        assertThat(t.survivors()).containsExactly("mutant:B");
        assertThat(Outcome.of(records).failures()).extracting(CheckRecord::variant)
                .containsExactlyInAnyOrder("mutant:B", "alternative:Bad");
        assertThat(Outcome.of(records).state()).isEqualTo(Outcome.State.FAIL);
    }
}
