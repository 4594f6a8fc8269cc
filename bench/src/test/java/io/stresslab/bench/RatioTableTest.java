package io.stresslab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stresslab.stress.harness.PairedRatio;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tables, and the precision rule that decides whether a configuration needs more rounds. */
class RatioTableTest {
    private static final String TOKEN_ISSUE = "io.stresslab.bench.taos.TokenIssueBenchmark.issue";

    @Test
    void theWidestHalfWidthCoversEveryShownRatioOfTheConfiguration() {
        double[] after = {1000, 1100, 900, 1000, 1050};
        // the before tracks the after closely, the ceiling does not: the ceiling's ratio decides
        Map<String, double[]> scores = Map.of("serialized-per-agent", after,
                "in-process-lock", new double[] {2000, 2200, 1800, 2000, 2100},
                "ceiling", new double[] {1000, 2000, 900, 1500, 1050});
        double widest = RatioTable.widestHalfWidth(TOKEN_ISSUE, scores, Map.of(), true);
        double ceiling = PairedRatio.of(after, scores.get("ceiling"), true).relativeHalfWidth();
        assertEquals(ceiling, widest, 1e-12);
        assertTrue(widest > 0.10, "a noisy ceiling needs more rounds: " + widest);
        // with only the close before, one more round is not needed
        assertEquals(0.0, RatioTable.widestHalfWidth(TOKEN_ISSUE, Map.of("serialized-per-agent", after,
                "in-process-lock", new double[] {2000, 2200, 1800, 2000, 2100}), Map.of(), true), 1e-12);
        // one pair has no interval yet: never precise enough
        assertEquals(Double.POSITIVE_INFINITY, RatioTable.widestHalfWidth(TOKEN_ISSUE, Map.of(
                "serialized-per-agent", new double[] {1000}, "ceiling", new double[] {2000}), Map.of(), true));
        // a benchmark outside the catalogued pairs has nothing to refine
        assertEquals(0.0, RatioTable.widestHalfWidth("io.stresslab.bench.Other.run", scores, Map.of(), true));
    }

    @Test
    void aRowShowsItsRoundsAndTheCpuStolenWhileItRan() throws Exception {
        String result = """
                {"benchmark": "io.stresslab.bench.taos.TokenIssueBenchmark.issue", "mode": "thrpt", "threads": 1,
                 "params": {"db": "h2", "variant": "%s"},
                 "primaryMetric": {"score": %s, "scoreUnit": "ops/s", "rawData": []},
                 "stresslab": {"forkScores": [%s], "forkCpuSteal": [%s]}}""";
        JsonNode results = new ObjectMapper().readTree("[" + String.format(result, "in-process-lock", "2000",
                "2000, 2000, 2000", "0.1, 0.3, null") + "," + String.format(result, "serialized-per-agent", "1000",
                "1000, 1000, 1000", "0.2, 0.2, 0.2") + "]");
        String table = RatioTable.render(results, true);
        assertTrue(table.contains("| after/pgbench | rounds | CPU steal |"), table);
        // 0.1, 0.3 (the null is a fork with no reading) and 0.2 × 3: a mean of 20 %
        assertTrue(table.contains("| 0.500 ± 0.0 % | — | — | 3 | 20 % |"), table);
    }

    @Test
    void whereTheForksStealVariedTheRatioAndTheRuleReadItAtEqualSteal() throws Exception {
        // after runs at 0.5x before on equal CPU; the forks' speeds follow the CPU share the host left them
        double[] stealAfter = {0.0, 0.3, 0.1, 0.4, 0.05, 0.2};
        double[] stealBefore = {0.3, 0.0, 0.2, 0.1, 0.4, 0.05};
        double[] after = new double[6];
        double[] before = new double[6];
        for (int i = 0; i < 6; i++) {
            after[i] = 1000 * (1 - stealAfter[i]);
            before[i] = 2000 * (1 - stealBefore[i]);
        }
        Map<String, double[]> scores = Map.of("serialized-per-agent", after, "in-process-lock", before);
        assertTrue(RatioTable.widestHalfWidth(TOKEN_ISSUE, scores, Map.of(), true) > 0.10, "plain: wide");
        assertEquals(0.0, RatioTable.widestHalfWidth(TOKEN_ISSUE, scores, Map.of("serialized-per-agent", stealAfter,
                "in-process-lock", stealBefore), true), 1e-6, "at equal steal: exact");
        String result = """
                {"benchmark": "io.stresslab.bench.taos.TokenIssueBenchmark.issue", "mode": "thrpt", "threads": 1,
                 "params": {"db": "h2", "variant": "%s"},
                 "primaryMetric": {"score": 1, "scoreUnit": "ops/s", "rawData": []},
                 "stresslab": {"forkScores": %s, "forkCpuSteal": %s}}""";
        ObjectMapper json = new ObjectMapper();
        JsonNode results = json.readTree("[" + String.format(result, "in-process-lock", json.writeValueAsString(before),
                json.writeValueAsString(stealBefore)) + "," + String.format(result, "serialized-per-agent",
                json.writeValueAsString(after), json.writeValueAsString(stealAfter)) + "]");
        String table = RatioTable.render(results, true);
        assertTrue(table.contains("| 0.500 ± 0.0 % † |"), table);
        assertTrue(table.contains("† read at equal CPU steal"), table);
        String plain = RatioTable.render(results, false);
        assertTrue(!plain.contains("†") && plain.contains("| 0.500 ± 39 % |"), plain);
    }
}
