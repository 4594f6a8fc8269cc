package io.stresslab.stress.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link PairedRatio} needs from one result of a JMH JSON file ({@code -rf json}), read the same way for the bench
 * tables and the reports: a score per fork, in fork order, and each fork's CPU steal.
 *
 * <p>Scores: {@code stresslab.forkScores} where stresslab's interleaved runner wrote them (fork i of every variant of
 * a configuration ran in the same round, so they pair); else each of JMH's own forks' mean iteration
 * ({@code primaryMetric.rawData}), NaN for a fork without a numeric sample so that fork i stays fork i; else the one
 * {@code primaryMetric.score}. Steal: {@code stresslab.forkCpuSteal} (a fraction of the CPU per fork, NaN where the
 * runner had no reading), null when the file has none.
 */
public record JmhForks(double[] scores, double[] steal) {
    /** The forks of {@code result}, one element of a JMH JSON file's top-level array. */
    public static JmhForks of(JsonNode result) {
        JsonNode metric = result.path("primaryMetric");
        JsonNode runner = result.path("stresslab");
        List<Double> scores = new ArrayList<>();
        if (runner.path("forkScores").isArray() && !runner.path("forkScores").isEmpty()) {
            runner.path("forkScores").forEach(v -> scores.add(number(v)));
        } else {
            for (JsonNode fork : metric.path("rawData")) {
                double sum = 0;
                int n = 0;
                for (JsonNode v : fork) {
                    if (v.isNumber()) {
                        sum += v.asDouble();
                        n++;
                    }
                }
                scores.add(n == 0 ? Double.NaN : sum / n);
            }
            if (scores.isEmpty()) {
                scores.add(number(metric.path("score")));
            }
        }
        List<Double> steal = new ArrayList<>();
        runner.path("forkCpuSteal").forEach(v -> steal.add(number(v)));
        return new JmhForks(array(scores), steal.isEmpty() ? null : array(steal));
    }

    private static double number(JsonNode v) {
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
