package io.stresslab.stress.scenarios.orch;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Nearest-rank percentiles of a set of latencies in milliseconds, for record metrics. */
final class LatencyStats {
    private LatencyStats() {
    }

    /** {@code prefix.count/p50/p90/p99/max} (milliseconds, one decimal); an empty set gives only the count. */
    static Map<String, Object> of(String prefix, Collection<Long> nanos) {
        Map<String, Object> m = new LinkedHashMap<>();
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        m.put(prefix + "Count", sorted.length);
        if (sorted.length > 0) {
            m.put(prefix + "P50Ms", millis(rank(sorted, 0.50)));
            m.put(prefix + "P90Ms", millis(rank(sorted, 0.90)));
            m.put(prefix + "P99Ms", millis(rank(sorted, 0.99)));
            m.put(prefix + "MaxMs", millis(sorted[sorted.length - 1]));
        }
        return m;
    }

    static long maxNanos(Collection<Long> nanos) {
        return nanos.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    static double millis(long nanos) {
        return Math.round(nanos / 100_000.0) / 10.0;
    }

    private static long rank(long[] sorted, double q) {
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
