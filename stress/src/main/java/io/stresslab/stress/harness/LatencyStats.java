package io.stresslab.stress.harness;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/** A latency (or any duration) distribution in milliseconds: count, mean, p50, p90, p99, max — for record metrics. */
public record LatencyStats(int count, double mean, double p50, double p90, double p99, double max) {

    public static LatencyStats ofNanos(Collection<Long> nanos) {
        double[] ms = nanos.stream().mapToDouble(n -> n / 1e6).toArray();
        return ofMillis(ms);
    }

    public static LatencyStats ofMillis(double[] ms) {
        if (ms.length == 0) {
            return new LatencyStats(0, 0, 0, 0, 0, 0);
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        Percentile p = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        p.setData(sorted);
        return new LatencyStats(sorted.length, Arrays.stream(sorted).average().orElse(0), p.evaluate(50),
                p.evaluate(90), p.evaluate(99), sorted[sorted.length - 1]);
    }

    /** A JSON-friendly map with values rounded to 0.01 ms. */
    public Map<String, Object> toMetric() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", "ms");
        m.put("count", count);
        m.put("mean", round(mean));
        m.put("p50", round(p50));
        m.put("p90", round(p90));
        m.put("p99", round(p99));
        m.put("max", round(max));
        return m;
    }

    /** Nanoseconds as milliseconds rounded to 0.1 ms, for summaries. */
    public static double millis(long nanos) {
        return Math.round(nanos / 100_000.0) / 10.0;
    }

    public String brief() {
        return String.format("p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms over %d", p50, p90, p99, max, count);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
