package io.stresslab.reports;

import static io.stresslab.reports.Html.esc;

import io.stresslab.stress.harness.PairedRatio;
import java.util.ArrayList;
import java.util.List;

/** Renders a {@link JmhComparison.Table} as aligned text (for the terminal) and as an HTML fragment. */
final class JmhRender {
    private static final String[] HEADERS = {"benchmark", "before", "median", "95% CI", "after", "median", "95% CI",
            "after/before", "paired speed-up (95% CI)", "Mann–Whitney U"};

    private JmhRender() {
    }

    private static String[] cells(JmhComparison.Row r) {
        return new String[]{r.group(), r.beforeLabel(), Format.num(r.beforeMedian()) + " " + r.unit(),
                ci(r.before()), r.afterLabel(), Format.num(r.afterMedian()) + " " + r.unit(), ci(r.after()),
                Format.ratio(r.ratio()), paired(r), r.significance() + (r.direction().isEmpty() ? ""
                : ", " + r.direction())};
    }

    /** The paired speed ratio after/before (above 1: after is faster) with its 95 % CI, or why there is none. */
    static String paired(JmhComparison.Row r) {
        PairedRatio p = r.paired();
        return p == null ? "unpaired (< 2 forks each)" : Format.ratio(p.ratio()) + " [" + Format.ratio(p.low()) + ", "
                + Format.ratio(p.high()) + "] ±" + Math.round(p.relativeHalfWidth() * 100) + "% (" + p.pairs()
                + " pairs" + (p.atEqualSteal() ? ", at equal CPU steal" : "") + ")";
    }

    private static String side(String label, double[] samples, String unit) {
        return "<td><b>" + esc(label) + "</b><br>" + esc(Format.num(Stats.median(samples)) + " " + unit) + "<br>"
                + "<span class=\"ci\">" + esc(ci(samples) + " · n = " + samples.length) + "</span></td>";
    }

    static String ci(double[] samples) {
        Stats.Interval ci = Stats.medianCi95(samples);
        return ci == null ? "no CI (n < 6)" : "[" + Format.num(ci.low()) + ", " + Format.num(ci.high()) + "]";
    }

    static String text(JmhComparison.Table t) {
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADERS);
        t.rows().forEach(r -> lines.add(cells(r)));
        int[] w = new int[HEADERS.length];
        lines.forEach(l -> {
            for (int i = 0; i < l.length; i++) {
                w[i] = Math.max(w[i], l[i].length());
            }
        });
        StringBuilder sb = new StringBuilder(t.title()).append('\n');
        for (String[] l : lines) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < l.length; i++) {
                line.append(i == 0 ? "" : "  ").append(String.format("%-" + w[i] + "s", l[i]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        if (t.rows().isEmpty()) {
            sb.append("(no benchmark appears on both sides)\n");
        } else {
            sb.append("geometric mean of after/before ratios: ").append(Format.ratio(t.geometricMeanRatio()))
                    .append("; speed-up after vs before (time ratios inverted): ")
                    .append(Format.ratio(t.geometricMeanSpeedup())).append('\n');
        }
        t.unpaired().forEach(u -> sb.append("unpaired: ").append(u.shortName()).append(' ').append(u.params())
                .append(' ').append(Format.num(u.score())).append(' ').append(u.unit()).append('\n'));
        return sb.toString();
    }

    static String html(JmhComparison.Table t) {
        StringBuilder sb = new StringBuilder("<div class=\"scroll\"><table class=\"jmh\"><thead><tr><th>benchmark</th>"
                + "<th>before: median, 95% CI</th><th>after: median, 95% CI</th><th>after / before</th>"
                + "<th>paired speed-up, 95% CI</th>"
                + "<th>Mann–Whitney U</th><th>samples (dots), median (bar), 95% CI of the median (band)</th></tr>"
                + "</thead><tbody>");
        for (JmhComparison.Row r : t.rows()) {
            sb.append("<tr").append(r.ceiling() ? " class=\"ceiling\"" : "").append("><td>").append(esc(r.group()))
                    .append(r.ceiling() ? " <i>(vs ceiling)</i>" : "").append("</td>")
                    .append(side(r.beforeLabel(), r.before(), r.unit()))
                    .append(side(r.afterLabel(), r.after(), r.unit()))
                    .append("<td class=\"ratio\">").append(esc(Format.ratio(r.ratio()))).append("</td>")
                    .append("<td class=\"ratio\">").append(esc(paired(r))).append("</td><td class=\"")
                    .append(r.significant() ? "sig" : "nsig").append("\">").append(esc(r.significance()))
                    .append(r.direction().isEmpty() ? "" : "<br>" + esc(r.direction())).append("</td><td>")
                    .append(Charts.samples(r)).append("</td></tr>");
        }
        if (!t.rows().isEmpty()) {
            sb.append("<tr class=\"geomean\"><td colspan=\"3\">geometric mean")
                    .append(t.rows().stream().anyMatch(JmhComparison.Row::ceiling) ? " (ceiling pairs excluded)" : "")
                    .append("</td><td>").append(esc(Format.ratio(t.geometricMeanRatio())))
                    .append("</td><td colspan=\"3\">speed-up after vs before (time ratios inverted): ")
                    .append(esc(Format.ratio(t.geometricMeanSpeedup()))).append("</td></tr>");
        }
        sb.append("</tbody></table></div>");
        if (t.rows().isEmpty()) {
            sb.append("<p class=\"note\">No benchmark appears on both sides, so nothing is paired.</p>");
        }
        if (!t.unpaired().isEmpty()) {
            sb.append("<h4>Unpaired results (reference, e.g. ceilings)</h4><table class=\"kv\"><thead><tr><th>benchmark"
                    + "</th><th>params</th><th>mode</th><th>score</th><th>± error</th><th>samples</th></tr></thead>"
                    + "<tbody>");
            for (JmhResult u : t.unpaired()) {
                sb.append("<tr><td>").append(esc(u.shortName())).append("</td><td>").append(esc(u.params()))
                        .append("</td><td>").append(esc(u.mode())).append("</td><td>")
                        .append(esc(Format.num(u.score()) + " " + u.unit())).append("</td><td>")
                        .append(esc(Format.num(u.scoreError()))).append("</td><td>").append(u.samples().length)
                        .append("</td></tr>");
            }
            sb.append("</tbody></table>");
        }
        return sb.toString();
    }
}
