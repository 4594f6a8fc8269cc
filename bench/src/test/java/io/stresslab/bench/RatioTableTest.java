package io.stresslab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The paired ratio, its interval, and the precision rule that decides whether a configuration needs more rounds. */
class RatioTableTest {
    private static final String TOKEN_ISSUE = "io.stresslab.bench.taos.TokenIssueBenchmark.issue";

    @Test
    void aRatioOfPairedForksIsTheirGeometricMeanWithATInterval() {
        // after/before per pair: 2, 2, 2 -> exactly 2, no spread
        RatioTable.Paired exact = RatioTable.Paired.of(new double[] {200, 400, 300}, new double[] {100, 200, 150},
                true);
        assertEquals(2.0, exact.ratio(), 1e-12);
        assertEquals(0.0, exact.relativeHalfWidth(), 1e-12);
        // time mode: lower is better, so the ratio is inverted
        assertEquals(0.5, RatioTable.Paired.of(new double[] {2, 4}, new double[] {1, 2}, false).ratio(), 1e-12);
        // drift that moves both sides of a pair together cancels: the fork scores halve, the ratio stays 1.5
        RatioTable.Paired drifting = RatioTable.Paired.of(new double[] {300, 150, 75}, new double[] {200, 100, 50},
                true);
        assertEquals(1.5, drifting.ratio(), 1e-12);
        assertEquals(0.0, drifting.relativeHalfWidth(), 1e-12);
    }

    @Test
    void theWidestHalfWidthCoversEveryShownRatioOfTheConfiguration() {
        double[] after = {1000, 1100, 900, 1000, 1050};
        // the before tracks the after closely, the ceiling does not: the ceiling's ratio decides
        Map<String, double[]> scores = Map.of("serialized-per-agent", after,
                "in-process-lock", new double[] {2000, 2200, 1800, 2000, 2100},
                "ceiling", new double[] {1000, 2000, 900, 1500, 1050});
        double widest = RatioTable.widestHalfWidth(TOKEN_ISSUE, scores, true);
        double ceiling = RatioTable.Paired.of(after, scores.get("ceiling"), true).relativeHalfWidth();
        assertEquals(ceiling, widest, 1e-12);
        assertTrue(widest > 0.10, "a noisy ceiling needs more rounds: " + widest);
        // with only the close before, one more round is not needed
        assertEquals(0.0, RatioTable.widestHalfWidth(TOKEN_ISSUE, Map.of("serialized-per-agent", after,
                "in-process-lock", new double[] {2000, 2200, 1800, 2000, 2100}), true), 1e-12);
        // one pair has no interval yet: never precise enough
        assertEquals(Double.POSITIVE_INFINITY, RatioTable.widestHalfWidth(TOKEN_ISSUE, Map.of(
                "serialized-per-agent", new double[] {1000}, "ceiling", new double[] {2000}), true));
        // a benchmark outside the catalogued pairs has nothing to refine
        assertEquals(0.0, RatioTable.widestHalfWidth("io.stresslab.bench.Other.run", scores, true));
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
        String table = RatioTable.render(results);
        assertTrue(table.contains("| after/pgbench | rounds | CPU steal |"), table);
        // 0.1, 0.3 (the null is a fork with no reading) and 0.2 × 3: a mean of 20 %
        assertTrue(table.contains("| 0.500 ± 0.0 % | — | — | 3 | 20 % |"), table);
    }
}
