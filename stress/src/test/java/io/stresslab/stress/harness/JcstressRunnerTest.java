package io.stresslab.stress.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stresslab.stress.harness.JcstressResult.Expectation;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The jcstress runner's self-test: one forked sanity run of a racy and an atomic counter (~10–20 s on 2 cores), plus
 * the parser on captured jcstress 0.16 output. The sample tests live in src/test: the runner merges every
 * {@code META-INF/TestList} on the class path, so test-compiled jcstress tests are found beside main-compiled ones.
 */
class JcstressRunnerTest {

    @Test
    void forkedRunSeesTheLostUpdateOfTheRacyCounterAndNoneOfTheAtomicOne() throws Exception {
        RunSettings settings = RunSettings.fromSystemProperties();
        JcstressResult r = JcstressRunner.runShared(settings, RacyCounterJcstress.class, AtomicCounterJcstress.class);
        System.out.println("[jcstress self-test] " + r.describe(RacyCounterJcstress.class) + " | "
                + r.describe(AtomicCounterJcstress.class) + " | " + r.duration().toMillis() + " ms");

        assertThat(r.timedOut()).isFalse();
        assertThat(r.sawInteresting(RacyCounterJcstress.class)).as(r.describe(RacyCounterJcstress.class)).isTrue();
        assertThat(r.sawForbidden(AtomicCounterJcstress.class)).isFalse();
        assertThat(r.samples(AtomicCounterJcstress.class)).isPositive();
        assertThat(r.status(AtomicCounterJcstress.class)).isEqualTo("OK");
        assertThat(Files.exists(r.htmlIndex())).isTrue();
        // memoized: the same set of classes (in any order) does not fork again
        assertThat(JcstressRunner.runShared(settings, AtomicCounterJcstress.class, RacyCounterJcstress.class))
                .isSameAs(r);
    }

    @Test
    void aClassThatIsNotAJcstressTestIsRefusedBeforeForking() {
        assertThatThrownBy(() -> JcstressRunner.runShared(RunSettings.fromSystemProperties(), String.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("java.lang.String")
                .hasMessageContaining("TestList");
    }

    @Test
    void parsesStatusesAndRowsIncludingStatesWithSpaces() {
        List<String> out = """
                  (Results: 28 planned; 20 passed, 0 failed, 0 soft errs, 0 hard errs)
                RUN RESULTS:
                  Interesting tests: No matches.

                  Failed tests: 1 matching test results.

                ...... [FAILED] a.Pair

                  Results across all configurations:

                     RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
                       0, 0       20    1.79%   Forbidden  both saw nothing
                       1, 2    1,100   98.21%  Acceptable  sequential

                  Error tests: No matches.

                  All remaining tests: 1 matching test results.

                .......... [OK] a.Single

                  Results across all configurations:

                  RESULT  SAMPLES     FREQ       EXPECT  DESCRIPTION
                       1        4    3.57%  Interesting  lost update
                       2      108   96.43%   Acceptable  both increments landed
                """.lines().toList();
        JcstressResult r = JcstressRunner.parse(List.of("a.Pair", "a.Single"), out);

        assertThat(r.statuses()).containsEntry("a.Pair", "FAILED").containsEntry("a.Single", "OK");
        assertThat(r.rows()).extracting(JcstressResult.Row::state).containsExactly("0, 0", "1, 2", "1", "2");
        assertThat(r.rows().get(1).samples()).isEqualTo(1100);
        assertThat(r.rows().get(0).expectation()).isEqualTo(Expectation.FORBIDDEN);
        assertThat(r.rows().get(2).expectation()).isEqualTo(Expectation.ACCEPTABLE_INTERESTING);
        assertThat(r.rows().get(3).description()).isEqualTo("both increments landed");
    }
}
