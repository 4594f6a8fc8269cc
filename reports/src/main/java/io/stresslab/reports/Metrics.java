package io.stresslab.reports;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds latency distributions in a record's free-form metrics: a nested map ({@code {"p50":…, "p99":…, "max":…}})
 * or flat keys sharing a prefix ({@code lockWaitCount, lockWaitP50Ms, lockWaitP99Ms, lockWaitMaxMs} or
 * {@code lockWait.p50}). Everything else stays a plain metric.
 */
final class Metrics {
    private static final Pattern FLAT = Pattern.compile(
            "(.+?)[._-]?(count|min|p50|median|p90|p95|p99|p999|max|mean)(ms|millis|us|micros|ns|nanos)?",
            Pattern.CASE_INSENSITIVE);

    /** A distribution ({@code stats} keyed min/p50/…/max/count/unit) or a plain metric ({@code stats} null). */
    record Entry(String name, Map<String, Object> stats, Object value) {
    }

    private Metrics() {
    }

    static List<Entry> group(Map<String, Object> metrics) {
        Map<String, Map<String, Object>> flat = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : metrics.entrySet()) {
            Matcher m = FLAT.matcher(e.getKey());
            if (e.getValue() instanceof Number && m.matches()) {
                Map<String, Object> d = flat.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>());
                d.put(m.group(2).toLowerCase(Locale.ROOT), e.getValue());
                if (m.group(3) != null) {
                    d.put("unit", unit(m.group(3)));
                }
            }
        }
        flat.values().removeIf(d -> d.keySet().stream().filter(k -> k.startsWith("p") || k.equals("max")).count() < 2);
        List<Entry> out = new ArrayList<>();
        Set<String> emitted = new HashSet<>();
        for (Map.Entry<String, Object> e : metrics.entrySet()) {
            Matcher m = FLAT.matcher(e.getKey());
            String prefix = e.getValue() instanceof Number && m.matches() ? m.group(1) : null;
            if (prefix != null && flat.containsKey(prefix)) {
                if (emitted.add(prefix)) { // the group goes where its first key was
                    out.add(new Entry(prefix, flat.get(prefix), null));
                }
            } else if (e.getValue() instanceof Map<?, ?> d && isDistribution(d)) {
                Map<String, Object> stats = new LinkedHashMap<>();
                d.forEach((k, v) -> stats.put(String.valueOf(k), v));
                out.add(new Entry(e.getKey(), stats, null));
            } else {
                out.add(new Entry(e.getKey(), null, e.getValue()));
            }
        }
        return out;
    }

    private static boolean isDistribution(Map<?, ?> d) {
        return d.keySet().stream().map(String::valueOf)
                .filter(k -> k.matches("p\\d+|max|median") && d.get(k) instanceof Number).count() >= 2;
    }

    private static String unit(String suffix) {
        return switch (suffix.toLowerCase(Locale.ROOT)) {
            case "ms", "millis" -> "ms";
            case "us", "micros" -> "µs";
            default -> "ns";
        };
    }
}
