package io.stresslab.stress.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stresslab.stress.harness.JcstressResult.Expectation;
import io.stresslab.stress.harness.JcstressResult.Row;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The sample floor: a starved fork (too few samples, nothing forbidden) is rerun with a longer budget, a fork that saw
 * the forbidden outcome is judged at once whatever its count, and forks that stay starved end in an error — never in
 * "absent".
 */
class JcstressChecksTest {
    private static final Class<?> TEST = RacyCounterJcstress.class;

    /**
     * A run of {@link #TEST} under a 20 ms budget times {@code stretch}: {@code ok} plain and {@code bad} forbidden.
     */
    private static JcstressResult result(int stretch, long ok, long bad) {
        String name = JcstressResult.nameOf(TEST);
        List<Row> rows = new ArrayList<>(List.of(new Row(name, "2", ok, Expectation.ACCEPTABLE, "both counted")));
        if (bad > 0) {
            rows.add(new Row(name, "1", bad, Expectation.FORBIDDEN, "lost update"));
        }
        return new JcstressResult(List.of(name), Map.of(name, bad > 0 ? "FAILED" : "OK"), rows,
                "budget " + 20 * stretch + " ms/test", bad > 0 ? 1 : 0, false, Duration.ofSeconds(1),
                Path.of("report"), Path.of("output.txt"), "");
    }

    /** Answers the runs from {@code counts} (plain samples per run, in order) and records the budgets asked for. */
    private static IntFunction<JcstressResult> runs(List<Integer> stretches, long... counts) {
        return stretch -> {
            stretches.add(stretch);
            return result(stretch, counts[stretches.size() - 1], 0);
        };
    }

    @Test
    void aHealthyForkIsJudgedOnce() {
        List<Integer> asked = new ArrayList<>();
        Observation o = JcstressChecks.forbidden(runs(asked, 50_000), TEST, "increments");
        assertThat(asked).containsExactly(1);
        assertThat(o.isBugObserved()).isFalse();
        assertThat(o.operations()).isEqualTo(50_000);
        assertThat(o.summary()).doesNotContain("rerun");
    }

    @Test
    void aStarvedForkIsRerunWithAFiveTimesLongerBudget() {
        List<Integer> asked = new ArrayList<>();
        Observation o = JcstressChecks.forbidden(runs(asked, 12, 60_000), TEST, "increments");
        assertThat(asked).containsExactly(1, 5);
        assertThat(o.isBugObserved()).isFalse();
        assertThat(o.operations()).isEqualTo(60_000);
        assertThat(o.summary()).contains("budget 100 ms/test").contains("12 samples in budget 20 ms/test");
    }

    @Test
    void aForbiddenOutcomeCountsHoweverFewTheSamples() {
        List<Integer> asked = new ArrayList<>();
        Observation o = JcstressChecks.forbidden(stretch -> {
            asked.add(stretch);
            return result(stretch, 11, 1);
        }, TEST, "increments");
        assertThat(asked).containsExactly(1);
        assertThat(o.isBugObserved()).isTrue();
    }

    @Test
    void forksThatStayStarvedAreAnErrorNotAVerdict() {
        List<Integer> asked = new ArrayList<>();
        assertThatThrownBy(() -> JcstressChecks.forbidden(runs(asked, 12, 40, 600), TEST, "increments"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("inconclusive")
                .hasMessageContaining("12 samples in budget 20 ms/test, 40 samples in budget 100 ms/test, "
                        + "600 samples in budget 500 ms/test");
        assertThat(asked).containsExactly(1, 5, 25);
    }

    @Test
    void aPresetModeIsNotRerunItsSampleCountIsThePresets() {
        String name = JcstressResult.nameOf(TEST);
        JcstressResult sanity = new JcstressResult(List.of(name), Map.of(name, "OK"),
                List.of(new Row(name, "2", 120, Expectation.ACCEPTABLE, "")), "sanity", 0, false, Duration.ZERO,
                Path.of("report"), Path.of("output.txt"), "");
        List<Integer> asked = new ArrayList<>();
        JcstressChecks.forbidden(stretch -> {
            asked.add(stretch);
            return sanity;
        }, TEST, "increments");
        assertThat(asked).containsExactly(1);
    }

    @Test
    void stretchingARequestMultipliesItsBudgetAndLeavesAPresetAlone() {
        JcstressRunner.Request budget = new JcstressRunner.Request(List.of("a.B"), "sanity", Duration.ofSeconds(180),
                Path.of("."), JcstressRunner.budgetArgs(20));
        JcstressRunner.Request longer = budget.stretched(5);
        assertThat(longer.label()).isEqualTo("budget 100 ms/test");
        assertThat(longer.deadline()).isGreaterThan(budget.deadline());
        JcstressRunner.Request preset = new JcstressRunner.Request(List.of("a.B"), "quick", Duration.ofSeconds(180),
                Path.of("."), List.of());
        assertThat(preset.stretched(5)).isSameAs(preset);
    }
}
