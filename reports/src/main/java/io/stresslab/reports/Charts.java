package io.stresslab.reports;

import static io.stresslab.reports.Html.esc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Small inline SVG charts: no scripts, no external resources, readable without colour (every bar is labelled). */
final class Charts {
    static final String PASS = "#1a7f37";
    static final String FAIL = "#cf222e";
    static final String SKIP = "#8c959f";
    static final String BEFORE = "#bc4c00";
    static final String AFTER = "#0969da";

    private Charts() {
    }

    /** One labelled segment of the header's stacked bar. */
    record Segment(String label, long count, String colour) {
    }

    /** The header's stacked bar of record counts by outcome. */
    static String stackedBar(List<Segment> segments) {
        long total = segments.stream().mapToLong(Segment::count).sum();
        int width = 600;
        StringBuilder sb = new StringBuilder("<svg class=\"chart counts\" role=\"img\" width=\"" + width
                + "\" height=\"46\" viewBox=\"0 0 " + width + " 46\" aria-label=\"record counts by outcome\">");
        double x = 0;
        int legendX = 0;
        for (Segment s : segments) {
            if (s.count() == 0) {
                continue;
            }
            double w = total == 0 ? 0 : width * (double) s.count() / total;
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"22\" fill=\"%s\">"
                    + "<title>%s</title></rect>", x, w, s.colour(), esc(s.count() + " " + s.label())));
            x += w;
            String legend = s.count() + " " + s.label();
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"30\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"41\" class=\"legend\">%s</text>", legendX, s.colour(), legendX + 16,
                    esc(legend)));
            legendX += 30 + legend.length() * 7;
        }
        return sb.append("</svg>").toString();
    }

    /**
     * A latency distribution ({p50, p90, p99, max, …}) as labelled horizontal bars in the variant's colour (before
     * orange, after blue). Returns null when the map has no numeric percentile keys.
     */
    static String distribution(String name, Map<?, ?> dist, String colour) {
        Map<String, Double> bars = new LinkedHashMap<>();
        for (String k : List.of("min", "p50", "median", "p90", "p95", "p99", "p999", "max")) {
            if (dist.get(k) instanceof Number n) {
                bars.put(k, n.doubleValue());
            }
        }
        if (bars.isEmpty() || bars.keySet().stream().noneMatch(k -> k.startsWith("p") || k.equals("max"))) {
            return null;
        }
        double max = bars.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        String unit = dist.get("unit") == null ? unitFromName(name) : dist.get("unit").toString();
        int rowH = 18;
        int labelW = 48;
        int barW = 300;
        int height = bars.size() * rowH + 22;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart latency\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "aria-label=\"%s\"><text x=\"0\" y=\"12\" class=\"title\">%s</text>",
                labelW + barW + 110, height, labelW + barW + 110, height, esc(name + " distribution"),
                esc(name + title(dist, unit))));
        int y = 20;
        for (Map.Entry<String, Double> e : bars.entrySet()) {
            double w = max <= 0 ? 0 : barW * e.getValue() / max;
            sb.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" class=\"label\">%s</text>"
                            + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" class=\"value\">%s</text>",
                    y + 12, esc(e.getKey()), labelW, y + 2, Math.max(w, 1), rowH - 5,
                    colour, labelW + Math.max(w, 1) + 4, y + 12,
                    esc(Format.num(e.getValue()) + (unit.isEmpty() ? "" : " " + unit))));
            y += rowH;
        }
        return sb.append("</svg>").toString();
    }

    /**
     * One latency distribution of the before and the after variant on a shared scale: a pair of bars (before above,
     * after below) per statistic. Null when the two share no percentile.
     */
    static String beforeAfter(String title, String beforeVariant, Map<?, ?> before, String afterVariant,
                              Map<?, ?> after) {
        List<String> stats = new ArrayList<>();
        for (String k : List.of("p50", "median", "p90", "p95", "p99", "p999", "max")) {
            if (before.get(k) instanceof Number && after.get(k) instanceof Number) {
                stats.add(k);
            }
        }
        if (stats.isEmpty()) {
            return null;
        }
        double max = stats.stream().mapToDouble(k -> Math.max(((Number) before.get(k)).doubleValue(),
                ((Number) after.get(k)).doubleValue())).max().orElse(1);
        Object u = before.get("unit") != null ? before.get("unit") : after.get("unit");
        String unit = u == null ? unitFromName(title.split(" ")[0]) : u.toString();
        int labelW = 40;
        int barW = 330;
        int width = labelW + barW + 100;
        int height = 38 + stats.size() * 26;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart beforeafter\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "aria-label=\"%s\"><text x=\"0\" y=\"12\" class=\"title\">%s</text>", width, height, width,
                height, esc(title + " before vs after"), esc(Format.clip(title, 70))));
        sb.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"19\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                        + "<text x=\"14\" y=\"28\" class=\"legend\">before: %s</text>"
                        + "<rect x=\"%d\" y=\"19\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                        + "<text x=\"%d\" y=\"28\" class=\"legend\">after: %s</text>", BEFORE,
                esc(Format.clip(beforeVariant, 26)), 230, AFTER, 244, esc(Format.clip(afterVariant, 26))));
        int y = 36;
        for (String k : stats) {
            sb.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" class=\"label\">%s</text>", y + 15, esc(k)));
            double[] v = {((Number) before.get(k)).doubleValue(), ((Number) after.get(k)).doubleValue()};
            String[] colours = {BEFORE, AFTER};
            for (int i = 0; i < 2; i++) {
                double w = Math.max(1, max <= 0 ? 0 : barW * v[i] / max);
                int by = y + 2 + i * 11;
                sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"10\" "
                                + "fill=\"%s\"/><text x=\"%.1f\" y=\"%d\" class=\"value small\">%s</text>", labelW, by,
                        w, colours[i], labelW + w + 4, by + 9,
                        esc(Format.num(v[i]) + (unit.isEmpty() ? "" : " " + unit))));
            }
            y += 26;
        }
        return sb.append("</svg>").toString();
    }

    /** A before/after strip chart: every raw sample as a dot, the median as a bar, the 95% CI as a band. */
    static String samples(JmhComparison.Row row) {
        double lo = Math.min(min(row.before()), min(row.after()));
        double hi = Math.max(max(row.before()), max(row.after()));
        // start at zero unless every sample sits in the top half, where zero would squash the spread
        double from = lo > 0 && lo > hi / 2 ? lo - 0.05 * (hi - lo) : Math.min(0, lo);
        hi = hi + 0.02 * (hi - from);
        double span = hi - from <= 0 ? 1 : hi - from;
        int labelW = 110;
        int plotW = 300;
        int width = labelW + plotW + 20;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart jmh\" role=\"img\" width=\"%d\" height=\"78\" viewBox=\"0 0 %d 78\" "
                        + "aria-label=\"%s\">", width, width, esc(row.beforeLabel() + " vs " + row.afterLabel())));
        String[] labels = {row.beforeLabel(), row.afterLabel()};
        double[][] sides = {row.before(), row.after()};
        String[] colours = {BEFORE, AFTER};
        for (int s = 0; s < 2; s++) {
            int y = 8 + s * 26;
            sb.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" class=\"label\">%s</text>", y + 12,
                    esc(Format.clip(labels[s], 17))));
            Stats.Interval ci = Stats.medianCi95(sides[s]);
            if (ci != null) {
                sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" "
                                + "fill=\"%s\" opacity=\"0.18\"/>", labelW + plotW * (ci.low() - from) / span, y,
                        Math.max(1, plotW * (ci.high() - ci.low()) / span), colours[s]));
            }
            for (double v : sides[s]) {
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%d\" r=\"3\" fill=\"%s\" "
                        + "opacity=\"0.75\"/>", labelW + plotW * (v - from) / span, y + 8, colours[s]));
            }
            double m = Stats.median(sides[s]);
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"3\" height=\"20\" fill=\"#1f2328\">"
                    + "<title>median %s</title></rect>", labelW + plotW * (m - from) / span - 1.5, y - 2,
                    esc(Format.num(m))));
        }
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"62\" x2=\"%d\" y2=\"62\" stroke=\"#8c959f\"/>"
                        + "<text x=\"%d\" y=\"75\" class=\"axis\">%s</text>"
                        + "<text x=\"%d\" y=\"75\" class=\"axis\" text-anchor=\"end\">%s</text>",
                labelW, labelW + plotW, labelW, esc(Format.num(from)), labelW + plotW,
                esc(Format.num(hi) + " " + row.unit())));
        return sb.append("</svg>").toString();
    }

    /** " (n = 15, mean 0.91 ms)" from whatever of count and mean the distribution has. */
    private static String title(Map<?, ?> dist, String unit) {
        List<String> parts = new ArrayList<>();
        if (dist.get("count") instanceof Number c) {
            parts.add("n = " + c);
        }
        if (dist.get("mean") instanceof Number m) {
            parts.add("mean " + Format.num(m.doubleValue()) + (unit.isEmpty() ? "" : " " + unit));
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static String unitFromName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith("millis") || n.endsWith("ms")) {
            return "ms";
        }
        if (n.endsWith("micros") || n.endsWith("us")) {
            return "µs";
        }
        if (n.endsWith("nanos") || n.endsWith("ns")) {
            return "ns";
        }
        return "";
    }

    private static double min(double[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : a) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static double max(double[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
