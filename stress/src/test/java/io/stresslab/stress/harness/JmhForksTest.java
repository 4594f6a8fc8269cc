package io.stresslab.stress.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JmhForksTest {
    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void theRunnersForkScoresAndStealComeFirstAndAFailedForkKeepsItsPlace() throws Exception {
        JmhForks forks = JmhForks.of(json("{'primaryMetric': {'score': 2, 'rawData': [[9, 9]]},"
                + " 'stresslab': {'forkScores': [1.5, 'NaN', 2.5], 'forkCpuSteal': [0.1, null, 0]}}"));

        assertThat(forks.scores()).containsExactly(1.5, Double.NaN, 2.5);
        assertThat(forks.steal()).containsExactly(0.1, Double.NaN, 0.0);
    }

    @Test
    void jmhsOwnForksAreEachForksMeanIterationAndAForkWithoutSamplesStaysInItsPlace() throws Exception {
        JmhForks forks = JmhForks.of(json("{'primaryMetric': {'score': 3, 'rawData': [[1, 3], [], ['NaN', 6]]}}"));

        assertThat(forks.scores()).containsExactly(2.0, Double.NaN, 6.0); // fork 3 still pairs with fork 3
        assertThat(forks.steal()).isNull();
    }

    @Test
    void aResultWithoutRawDataIsOneForkOfItsScore() throws Exception {
        assertThat(JmhForks.of(json("{'primaryMetric': {'score': 4.5}}")).scores()).containsExactly(4.5);
    }
}
