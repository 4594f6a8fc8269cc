package io.stresslab.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stresslab.stress.harness.JmhForks;
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
 * {@code @Param} values, the raw iteration samples of the primary metric (every fork's iterations, flattened), and one
 * score and one CPU steal reading per fork in fork order, read by {@link JmhForks} as the bench tables read them.
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
        pm.path("rawData").forEach(fork -> fork.forEach(v -> {
            if (v.isNumber()) {
                samples.add(v.asDouble());
            }
        }));
        if (samples.isEmpty()) {
            samples.add(pm.path("score").asDouble());
        }
        double error = pm.path("scoreError").isNumber() ? pm.path("scoreError").asDouble() : Double.NaN;
        JmhForks forks = JmhForks.of(n);
        return new JmhResult(n.path("benchmark").asText(), n.path("mode").asText(), n.path("threads").asInt(1),
                params, pm.path("score").asDouble(), error, pm.path("scoreUnit").asText(""),
                samples.stream().mapToDouble(Double::doubleValue).toArray(), forks.scores(), forks.steal());
    }
}
