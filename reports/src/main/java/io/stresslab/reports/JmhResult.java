package io.stresslab.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark result of a JMH JSON file ({@code -rf json}): the benchmark method, mode, threads, its
 * {@code @Param} values, the raw iteration samples of the primary metric (every fork's iterations, flattened) and one
 * score per fork, in fork order: {@code stresslab.forkScores} where stresslab's interleaved runner wrote them (fork i
 * of every variant of a configuration ran side by side, so they pair), else each fork's mean iteration; and each
 * fork's CPU steal where the runner read it ({@code stresslab.forkCpuSteal}, NaN for a fork without a reading; null
 * when the file has none).
 */
public record JmhResult(String benchmark, String mode, int threads, Map<String, String> params, double score,
                        double scoreError, String unit, double[] samples, double[] forkScores, double[] forkSteal) {

    /** The part of the benchmark name after the last dot: the method. */
    public String method() {
        int dot = benchmark.lastIndexOf('.');
        return dot < 0 ? benchmark : benchmark.substring(dot + 1);
    }

    /** The benchmark class's simple name plus method, e.g. {@code IdempotencyBench.reserve}. */
    public String shortName() {
        String[] parts = benchmark.split("\\.");
        return parts.length < 2 ? benchmark : parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    /** Whether a larger score is better (throughput) or worse (time per operation). */
    public boolean higherIsBetter() {
        return "thrpt".equals(mode);
    }

    /** Reads a JMH JSON result file; any problem becomes one line in a {@link BadInputException}. */
    public static List<JmhResult> read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new BadInputException("JMH result file not found: " + file);
        } catch (JsonProcessingException e) {
            throw new BadInputException("malformed JMH JSON in " + file + " (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInputException("cannot read JMH result file " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isArray()) {
            throw new BadInputException("not a JMH result file (expected a JSON array of benchmarks): " + file);
        }
        List<JmhResult> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            out.add(parse(root.get(i), file, i));
        }
        return out;
    }

    private static JmhResult parse(JsonNode n, Path file, int index) {
        JsonNode pm = n.path("primaryMetric");
        if (!n.path("benchmark").isTextual() || !n.path("mode").isTextual() || !pm.path("score").isNumber()) {
            throw new BadInputException("not a JMH result in " + file + ": entry " + index
                    + " lacks benchmark, mode or primaryMetric.score");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.path("params").properties()) {
            params.put(e.getKey(), e.getValue().asText());
        }
        List<Double> samples = new ArrayList<>();
        List<Double> forks = new ArrayList<>();
        for (JsonNode fork : pm.path("rawData")) {
            double sum = 0;
            int count = 0;
            for (JsonNode v : fork) {
                if (v.isNumber()) {
                    samples.add(v.asDouble());
                    sum += v.asDouble();
                    count++;
                }
            }
            if (count > 0) {
                forks.add(sum / count);
            }
        }
        JsonNode paired = n.path("stresslab").path("forkScores");
        if (paired.isArray() && !paired.isEmpty()) {
            forks.clear();
            paired.forEach(v -> forks.add(v.asDouble()));
        }
        if (forks.isEmpty()) {
            forks.add(pm.path("score").asDouble());
        }
        if (samples.isEmpty()) {
            samples.add(pm.path("score").asDouble());
        }
        double error = pm.path("scoreError").isNumber() ? pm.path("scoreError").asDouble() : Double.NaN;
        List<Double> steal = new ArrayList<>();
        n.path("stresslab").path("forkCpuSteal").forEach(v -> steal.add(v.isNumber() ? v.asDouble() : Double.NaN));
        return new JmhResult(n.path("benchmark").asText(), n.path("mode").asText(), n.path("threads").asInt(1),
                params, pm.path("score").asDouble(), error, pm.path("scoreUnit").asText(""),
                samples.stream().mapToDouble(Double::doubleValue).toArray(),
                forks.stream().mapToDouble(Double::doubleValue).toArray(),
                steal.isEmpty() ? null : steal.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
