package io.stresslab.reports;

import io.stresslab.stress.harness.PairedRatio;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Before/after rows built from JMH results, each with its statistics: the paired speed ratio after/before with its
 * 95 % confidence interval (from fork i of after beside fork i of before, see {@link PairedRatio}), and, on
 * the raw iteration samples, medians, 95% confidence intervals of the medians and a Mann–Whitney U test.
 *
 * <p>Two ways to pair: {@link #byVariant} pairs the values of a {@code variant} (or {@code impl}) {@code @Param}
 * within one file (same benchmark, mode, threads and other params); {@link #beforeVsAfter} pairs the same benchmark
 * and params across two files. Only forks that ran interleaved (stresslab's bench runner) make the paired ratio cancel
 * drift; across two files it pairs forks that ran at different times.
 */
public final class JmhComparison {
    /** Param names that distinguish before/after variants of one benchmark, in order of preference. */
    public static final List<String> AXIS_PARAMS = List.of("variant", "impl");
    /** Variant names that mark the "before" side, and the "after" side; the rest order by first appearance. */
    private static final List<String> BEFORE_WORDS = List.of("before", "old", "baseline", "buggy", "broken", "naive",
            "unsafe", "racy");
    private static final List<String> AFTER_WORDS = List.of("after", "new", "fixed", "safe");

    /** One compared pair. */
    public record Row(String group, String beforeLabel, String afterLabel, String mode, String unit,
                      double[] before, double[] after, boolean ceiling, double[] beforeForks, double[] afterForks,
                      double[] beforeSteal, double[] afterSteal) {
        /**
         * The speed ratio after/before from paired forks with its 95 % CI, at equal CPU steal where the forks' steal
         * was read and varied ({@link PairedRatio}); null without at least 2 pairs.
         */
        public PairedRatio paired() {
            PairedRatio p = PairedRatio.of(afterForks, beforeForks, afterSteal, beforeSteal, "thrpt".equals(mode));
            return p == null || p.pairs() < 2 ? null : p;
        }

        public double beforeMedian() {
            return Stats.median(before);
        }

        public double afterMedian() {
            return Stats.median(after);
        }

        public double ratio() {
            return afterMedian() / beforeMedian();
        }

        public double pValue() {
            return Stats.mannWhitneyP(before, after);
        }

        /** "significant (p = 0.004)", "not significant (p = 0.41)" or "too few samples (3 / 3)". */
        public String significance() {
            double p = pValue();
            if (Double.isNaN(p)) {
                return "too few samples (" + before.length + " / " + after.length + ")";
            }
            return (p < Stats.ALPHA ? "significant" : "not significant") + " (p " + fmtP(p) + ")";
        }

        /** How much faster after is than before (&gt; 1 = faster): the ratio for throughput, its inverse for time. */
        public double speedup() {
            return "thrpt".equals(mode) ? ratio() : 1 / ratio();
        }

        public boolean significant() {
            double p = pValue();
            return !Double.isNaN(p) && p < Stats.ALPHA;
        }

        /** "faster"/"slower" (or "better"/"worse" for unknown modes) when significant, else empty. */
        public String direction() {
            if (!significant()) {
                return "";
            }
            boolean up = ratio() > 1;
            boolean higherBetter = "thrpt".equals(mode);
            return up == higherBetter ? "after is faster" : "after is slower";
        }
    }

    /** A whole comparison: its rows and the geometric mean of the before→after ratios (ceiling pairs excluded). */
    public record Table(String title, List<Row> rows, List<JmhResult> unpaired) {
        public double geometricMeanRatio() {
            return Stats.geometricMean(rows.stream().filter(r -> !r.ceiling()).mapToDouble(Row::ratio).toArray());
        }

        /** The geometric mean of the speed-ups (ratios of time modes inverted, so modes can be mixed). */
        public double geometricMeanSpeedup() {
            return Stats.geometricMean(rows.stream().filter(r -> !r.ceiling()).mapToDouble(Row::speedup).toArray());
        }
    }

    private JmhComparison() {
    }

    /** Pairs every variant value with every other in the same (benchmark, mode, threads, other params) group. */
    public static Table byVariant(String title, List<JmhResult> results) {
        Map<String, List<JmhResult>> groups = new LinkedHashMap<>();
        List<JmhResult> unpaired = new ArrayList<>();
        for (JmhResult r : results) {
            String axis = axis(r);
            if (axis == null) {
                unpaired.add(r);
                continue;
            }
            groups.computeIfAbsent(groupKey(r, axis), k -> new ArrayList<>()).add(r);
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<JmhResult>> g : groups.entrySet()) {
            List<JmhResult> members = new ArrayList<>(g.getValue());
            if (members.size() < 2) {
                unpaired.addAll(members);
                continue;
            }
            Function<JmhResult, String> label = r -> r.params().get(axis(r));
            members.sort((a, b) -> Integer.compare(role(label.apply(a)), role(label.apply(b)))); // stable
            for (int i = 0; i < members.size(); i++) {
                for (int j = i + 1; j < members.size(); j++) {
                    JmhResult a = members.get(i);
                    JmhResult b = members.get(j);
                    boolean ceiling = isCeiling(label.apply(a)) || isCeiling(label.apply(b));
                    rows.add(new Row(g.getKey(), label.apply(a), label.apply(b), a.mode(), a.unit(), a.samples(),
                            b.samples(), ceiling, a.forkScores(), b.forkScores(), a.forkSteal(), b.forkSteal()));
                }
            }
        }
        return new Table(title, rows, unpaired);
    }

    /** Pairs the same benchmark (mode, threads, all params) in a before and an after result file. */
    public static Table beforeVsAfter(String title, List<JmhResult> before, List<JmhResult> after) {
        Map<String, JmhResult> befores = new LinkedHashMap<>();
        before.forEach(r -> befores.put(groupKey(r, null), r));
        List<Row> rows = new ArrayList<>();
        List<JmhResult> unpaired = new ArrayList<>();
        for (JmhResult a : after) {
            JmhResult b = befores.remove(groupKey(a, null));
            if (b == null) {
                unpaired.add(a);
            } else {
                rows.add(new Row(groupKey(a, null), "before", "after", a.mode(), a.unit(), b.samples(), a.samples(),
                        isCeiling(a.method()), b.forkScores(), a.forkScores(), b.forkSteal(), a.forkSteal()));
            }
        }
        unpaired.addAll(befores.values());
        return new Table(title, rows, unpaired);
    }

    /** The pair-axis param of a result, or null. */
    static String axis(JmhResult r) {
        return AXIS_PARAMS.stream().filter(r.params()::containsKey).findFirst().orElse(null);
    }

    private static String groupKey(JmhResult r, String axis) {
        StringBuilder sb = new StringBuilder(r.shortName()).append(" [").append(r.mode());
        if (r.threads() != 1) {
            sb.append(", ").append(r.threads()).append(" threads");
        }
        r.params().forEach((k, v) -> {
            if (!k.equals(axis)) {
                sb.append(", ").append(k).append('=').append(v);
            }
        });
        return sb.append(']').toString();
    }

    private static int role(String variant) {
        String v = variant.toLowerCase(Locale.ROOT);
        if (isCeiling(v)) {
            return 3;
        }
        if (BEFORE_WORDS.stream().anyMatch(v::contains)) {
            return 0;
        }
        return AFTER_WORDS.stream().anyMatch(v::contains) ? 2 : 1;
    }

    static boolean isCeiling(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return n.contains("ceiling") || n.equals("pgbench");
    }

    static String fmtP(double p) {
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "= %.3f", p);
    }
}
