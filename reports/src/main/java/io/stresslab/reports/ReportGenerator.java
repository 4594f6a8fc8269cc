package io.stresslab.reports;

import static io.stresslab.reports.Html.esc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.ResultsWriter;
import io.stresslab.stress.harness.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes stresslab's report: ONE self-contained {@code index.html} (inline CSS and SVG, no scripts, no network) and a
 * {@code summary.json} (every record merged, the header verdict and the detection matrix) into an output folder.
 *
 * <p>Inputs: result-record folders (the build's {@code stress/target/stresslab-results/}, {@code stresslab run}'s
 * {@code <out>/records/}), optional JMH JSON result files (before/after pairs by {@code variant} param) and optional
 * jcstress report folders (linked, not copied).
 */
public final class ReportGenerator {
    /** Where the report goes by default, relative to the working directory. */
    public static final Path DEFAULT_OUT = Path.of("reports", "target", "stress-report");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Comparator<CheckRecord> RECORD_ORDER = Comparator
            .comparing((CheckRecord r) -> r.expect() == Expect.HOLD)
            .thenComparing(r -> r.tool() == null ? 99 : r.tool().ordinal())
            .thenComparing(r -> String.valueOf(r.check()))
            .thenComparing(r -> String.valueOf(r.variant()))
            .thenComparing(r -> String.valueOf(r.database()));

    /** What to read and where to write. */
    public record Inputs(List<Path> recordDirs, List<Path> jmhFiles, List<Path> jcstressDirs, Path outDir) {
        public Inputs {
            recordDirs = List.copyOf(recordDirs);
            jmhFiles = List.copyOf(jmhFiles);
            jcstressDirs = List.copyOf(jcstressDirs);
        }
    }

    /** What was written, and the outcome the build gate acts on. */
    public record Report(Path html, Path summary, Outcome outcome) {
    }

    private final Clock clock;

    public ReportGenerator(Clock clock) {
        this.clock = clock;
    }

    public ReportGenerator() {
        this(Clock.systemUTC());
    }

    /** Reads every input and writes the report. Bad input throws {@link BadInputException} (one line). */
    public Report generate(Inputs in) {
        List<CheckRecord> records = readRecords(in.recordDirs());
        List<JmhComparison.Table> jmh = new ArrayList<>();
        for (Path f : in.jmhFiles()) {
            jmh.add(JmhComparison.byVariant(f.getFileName().toString(), JmhResult.read(f)));
        }
        return write(records, jmh, in.jcstressDirs(), in.outDir(), sources(in));
    }

    /** Writes the report for records already in memory. */
    public Report write(List<CheckRecord> records, List<JmhComparison.Table> jmh, List<Path> jcstressDirs,
                        Path outDir, String sources) {
        List<CheckRecord> sorted = records.stream()
                .sorted(Comparator.comparing((CheckRecord r) -> catalogueIndex(r.bug())).thenComparing(RECORD_ORDER))
                .toList();
        Outcome outcome = Outcome.of(sorted);
        List<Matrix.Row> matrix = Matrix.build(sorted);
        try {
            Files.createDirectories(outDir);
            Path html = outDir.resolve("index.html");
            Path summary = outDir.resolve("summary.json");
            Files.writeString(html, new Page(outDir, sorted, outcome, matrix, jmh, jcstressDirs, sources).render(),
                    StandardCharsets.UTF_8);
            JSON.writeValue(summary.toFile(), summary(sorted, outcome, matrix, jmh, jcstressDirs));
            return new Report(html, summary, outcome);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + outDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads and merges the records of several folders (a missing folder has none). The same check (same file name)
     * seen twice keeps the most recent run.
     */
    public static List<CheckRecord> readRecords(Collection<Path> dirs) {
        Map<String, CheckRecord> byKey = new LinkedHashMap<>();
        for (Path dir : dirs) {
            List<CheckRecord> some;
            try {
                some = ResultsWriter.readAll(dir);
            } catch (UncheckedIOException | IllegalArgumentException e) {
                throw new BadInputException(e.getMessage().lines().findFirst().orElse("cannot read " + dir));
            }
            for (CheckRecord r : some) {
                byKey.merge(key(r), r, (a, b) -> String.valueOf(a.startedAt()).compareTo(String.valueOf(b.startedAt()))
                        >= 0 ? a : b);
            }
        }
        return new ArrayList<>(byKey.values());
    }

    private static String key(CheckRecord r) {
        return r.bug() + "|" + r.variant() + "|" + r.database() + "|" + r.tool() + "|" + r.check();
    }

    private static int catalogueIndex(String bug) {
        List<Catalogue.Bug> bugs = Catalogue.bugs();
        for (int i = 0; i < bugs.size(); i++) {
            if (bugs.get(i).id().equalsIgnoreCase(String.valueOf(bug))) {
                return i;
            }
        }
        return bugs.size();
    }

    private static String sources(Inputs in) {
        List<String> parts = new ArrayList<>();
        in.recordDirs().forEach(d -> parts.add(d.toString()));
        in.jmhFiles().forEach(f -> parts.add(f.toString()));
        in.jcstressDirs().forEach(d -> parts.add(d.toString()));
        return String.join(", ", parts);
    }

    private Map<String, Object> summary(List<CheckRecord> records, Outcome o, List<Matrix.Row> matrix,
                                        List<JmhComparison.Table> jmh, List<Path> jcstressDirs) {
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("state", o.state().name().toLowerCase());
        verdict.put("headline", o.headline());
        verdict.put("records", o.records());
        verdict.put("reproductions", o.reproductions());
        verdict.put("reproduced", o.reproduced());
        verdict.put("fixes", o.fixes());
        verdict.put("held", o.held());
        verdict.put("skipped", o.skipped());
        verdict.put("errors", o.errors());
        verdict.put("failures", o.failureLines());

        List<Object> rows = new ArrayList<>();
        for (Matrix.Row r : matrix) {
            Map<String, Object> cells = new LinkedHashMap<>();
            r.cells().forEach((c, cell) -> cells.put(c.label(), Map.of(
                    "before", cell.before().text(), "after", cell.after().text())));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("bug", r.bug());
            row.put("title", r.title());
            row.put("cells", cells);
            rows.add(row);
        }

        List<Object> tables = new ArrayList<>();
        for (JmhComparison.Table t : jmh) {
            List<Object> pairs = new ArrayList<>();
            for (JmhComparison.Row r : t.rows()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("group", r.group());
                p.put("before", r.beforeLabel());
                p.put("after", r.afterLabel());
                p.put("unit", r.unit());
                p.put("beforeMedian", finite(r.beforeMedian()));
                p.put("afterMedian", finite(r.afterMedian()));
                p.put("beforeMedianCi95", ci(r.before()));
                p.put("afterMedianCi95", ci(r.after()));
                p.put("ratio", finite(r.ratio()));
                p.put("mannWhitneyP", finite(r.pValue()));
                p.put("significance", r.significance());
                p.put("ceiling", r.ceiling());
                pairs.add(p);
            }
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("file", t.title());
            table.put("pairs", pairs);
            table.put("geometricMeanRatio", finite(t.geometricMeanRatio()));
            tables.add(table);
        }

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("schema", "stresslab.summary/1");
        out.put("generatedAt", Instant.now(clock).toString());
        out.put("verdict", verdict);
        out.put("matrix", rows);
        out.put("jmh", tables);
        out.put("jcstressReports", jcstressLinks(records, jcstressDirs).stream().map(Path::toString).toList());
        out.put("records", records);
        return out;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Object ci(double[] samples) {
        Stats.Interval ci = Stats.medianCi95(samples);
        return ci == null ? null : List.of(ci.low(), ci.high());
    }

    /** Evidence keys whose text is a Lincheck (or similar) interleaving trace. */
    static final Set<String> TRACE_KEYS = Set.of("trace", "lincheck", "lincheckTrace", "interleaving");
    /** Evidence keys that name a jcstress HTML report (its folder or its index.html). */
    static final Set<String> REPORT_KEYS = Set.of("jcstressReport", "htmlReport", "jcstressHtml");

    /** Every jcstress report folder: given on the command line or named by a record's evidence. */
    static List<Path> jcstressLinks(List<CheckRecord> records, List<Path> dirs) {
        Set<Path> out = new LinkedHashSet<>(dirs);
        for (CheckRecord r : records) {
            if (r.evidence() == null) {
                continue;
            }
            r.evidence().forEach((k, v) -> {
                if (REPORT_KEYS.contains(k) && v instanceof String s && !s.isBlank()) {
                    Path p = Path.of(s);
                    out.add(s.endsWith(".html") && p.getParent() != null ? p.getParent() : p);
                }
            });
        }
        return List.copyOf(out);
    }

    /** An href from the report folder to {@code target} (relative when possible, percent-encoded). */
    static String href(Path outDir, Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path base = outDir.toAbsolutePath().normalize();
        try {
            String rel = base.getRoot() != null && base.getRoot().equals(abs.getRoot())
                    ? base.relativize(abs).toString().replace('\\', '/') : null;
            return rel == null ? abs.toUri().toString() : new URI(null, null, rel, null).getRawPath();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return abs.toUri().toString();
        }
    }

    /** The HTML page. */
    private final class Page {
        private final Path outDir;
        private final List<CheckRecord> records;
        private final Outcome outcome;
        private final List<Matrix.Row> matrix;
        private final List<JmhComparison.Table> jmh;
        private final List<Path> jcstressDirs;
        private final String sources;
        private final StringBuilder sb = new StringBuilder(64 * 1024);

        Page(Path outDir, List<CheckRecord> records, Outcome outcome, List<Matrix.Row> matrix,
             List<JmhComparison.Table> jmh, List<Path> jcstressDirs, String sources) {
            this.outDir = outDir;
            this.records = records;
            this.outcome = outcome;
            this.matrix = matrix;
            this.jmh = jmh;
            this.jcstressDirs = jcstressDirs;
            this.sources = sources;
        }

        String render() {
            sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    + "<title>stresslab report — ").append(esc(outcome.headline())).append("</title><style>")
                    .append(Style.CSS).append("</style></head><body>");
            header();
            nav();
            matrix();
            List<Path> links = jcstressLinks(records, jcstressDirs);
            if (!links.isEmpty()) {
                jcstress(links);
            }
            bugs();
            if (!jmh.isEmpty()) {
                jmh();
            }
            sb.append("<footer>Generated by stresslab reports at ").append(esc(Instant.now(clock)))
                    .append(". Self-contained: no scripts, no network resources.</footer></body></html>\n");
            return sb.toString();
        }

        private void header() {
            String state = outcome.state().name().toLowerCase();
            String word = switch (outcome.state()) {
                case PASS -> "PASS";
                case FAIL -> "FAIL";
                case EMPTY -> "NOTHING VERIFIED";
            };
            sb.append("<header id=\"verdict\" class=\"verdict ").append(state).append("\"><div class=\"title\">"
                    + "stresslab — concurrency bug reproductions and fixes</div><h1><span class=\"state\">")
                    .append(word).append("</span> ").append(esc(outcome.headline())).append("</h1>");
            if (outcome.records() > 0) {
                int missed = outcome.reproductions() - outcome.reproduced();
                int violated = outcome.fixes() - outcome.held();
                sb.append(Charts.stackedBar(List.of(
                        new Charts.Segment("reproduced", outcome.reproduced(), Charts.PASS),
                        new Charts.Segment("held", outcome.held(), Charts.AFTER),
                        new Charts.Segment("not reproduced", missed, Charts.FAIL),
                        new Charts.Segment("violated", violated, "#a40e26"),
                        new Charts.Segment("error", outcome.errors(), "#6e1620"),
                        new Charts.Segment("skipped", outcome.skipped(), Charts.SKIP))));
            }
            if (!outcome.failures().isEmpty()) {
                sb.append("<ul class=\"failures\">");
                for (CheckRecord r : outcome.failures()) {
                    sb.append("<li><a href=\"#").append(Html.id(r.bug())).append("\">")
                            .append(esc(Outcome.failureLine(r))).append("</a></li>");
                }
                sb.append("</ul>");
            }
            sb.append("<p class=\"meta\">").append(outcome.records()).append(" records · generated ")
                    .append(esc(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS))).append(" · from ")
                    .append(esc(sources.isEmpty() ? "memory" : sources)).append("</p></header>");
        }

        private void nav() {
            sb.append("<nav><a href=\"#matrix\">Detection matrix</a>");
            for (Matrix.Row r : matrix) {
                sb.append(" · <a href=\"#").append(Html.id(r.bug())).append("\">").append(esc(r.bug())).append("</a>");
            }
            if (!jmh.isEmpty()) {
                sb.append(" · <a href=\"#jmh\">JMH before/after</a>");
            }
            sb.append("</nav>");
        }

        private void matrix() {
            sb.append("<section id=\"matrix\"><h2>Detection matrix</h2><p class=\"note\">Each cell: what the "
                    + "<b>before</b> variant's checks showed (caught = the bug was reproduced) and what the "
                    + "<b>after</b> variant's checks showed (held = the bug stayed absent). — = no such check; "
                    + "n/m = passing/ran.</p><div class=\"scroll\"><table class=\"matrix\"><thead><tr><th>bug</th>");
            for (Matrix.Column c : Matrix.Column.values()) {
                sb.append("<th>").append(esc(c.label())).append("</th>");
            }
            sb.append("</tr></thead><tbody>");
            for (Matrix.Row r : matrix) {
                sb.append("<tr><th scope=\"row\"><a href=\"#").append(Html.id(r.bug())).append("\">")
                        .append(esc(r.bug())).append("</a><span class=\"bugtitle\">").append(esc(r.title()))
                        .append("</span></th>");
                r.cells().forEach((c, cell) -> {
                    if (cell.empty()) {
                        sb.append("<td class=\"cell none\">—</td>");
                    } else {
                        sb.append("<td class=\"cell\">");
                        side("before", cell.before());
                        side("after", cell.after());
                        sb.append("</td>");
                    }
                });
                sb.append("</tr>");
            }
            sb.append("</tbody></table></div></section>");
        }

        private void side(String label, Matrix.Side s) {
            sb.append("<div class=\"side ").append(s.state().name().toLowerCase()).append("\">").append(label)
                    .append(": <b>").append(esc(s.text())).append("</b></div>");
        }

        private void jcstress(List<Path> links) {
            sb.append("<section id=\"jcstress\"><h2>jcstress reports</h2><ul>");
            for (Path p : links) {
                Path index = p.resolve("index.html");
                sb.append("<li><a href=\"").append(esc(href(outDir, index))).append("\">").append(esc(index))
                        .append("</a>").append(Files.exists(index) ? "" : " <i>(not found)</i>").append("</li>");
            }
            sb.append("</ul></section>");
        }

        private void bugs() {
            if (records.isEmpty()) {
                sb.append("<section class=\"empty\"><h2>No records</h2><p>No result records were found in ")
                        .append(esc(sources.isEmpty() ? "the given folders" : sources)).append(". The stress tests "
                                + "were probably skipped (e.g. <code>-DskipTests</code>); run "
                                + "<code>mvn verify</code> or <code>stresslab run</code> to produce them.</p>"
                                + "</section>");
            }
            for (Matrix.Row row : matrix) {
                List<CheckRecord> mine = records.stream()
                        .filter(r -> row.bug().equalsIgnoreCase(String.valueOf(r.bug()))).toList();
                sb.append("<section class=\"bug\" id=\"").append(Html.id(row.bug())).append("\"><h2>")
                        .append(esc(row.bug())).append(" — ").append(esc(row.title())).append("</h2>");
                Catalogue.find(row.bug()).ifPresent(b -> sb.append("<p class=\"mechanism\">")
                        .append(esc(b.mechanism())).append("</p>"));
                if (mine.isEmpty()) {
                    sb.append("<p class=\"note\">No records for this bug.</p>");
                }
                mine.forEach(this::record);
                sb.append("</section>");
            }
        }

        private void record(CheckRecord r) {
            Verdict v = r.verdict();
            String cls = v == null ? "error" : v == Verdict.SKIPPED ? "skipped" : v.passing() ? "pass" : "fail";
            sb.append("<article class=\"record ").append(cls).append("\"><h3><span class=\"badge ").append(cls)
                    .append("\">").append(esc(v == null ? "NO VERDICT" : v.json().toUpperCase())).append("</span> ")
                    .append(esc(r.expect() == Expect.HOLD ? "after" : "before")).append(" · <code>")
                    .append(esc(r.variant())).append("</code> · ").append(esc(r.tool() == null ? "?" : r.tool().json()))
                    .append(" · ").append(esc(r.check())).append(" · ").append(esc(r.database())).append("</h3>")
                    .append("<p class=\"summary\">").append(esc(r.summary())).append("</p><p class=\"facts\">expected ")
                    .append(esc(r.expect() == null ? "?" : r.expect().json())).append(" · ")
                    .append(String.format("%,d", r.operations()))
                    .append(r.operations() == 1 ? " operation · " : " operations · ")
                    .append(esc(Format.millis(r.durationMillis()))).append(" · started ").append(esc(r.startedAt()))
                    .append(" · Java ").append(esc(r.java())).append("</p>");
            metrics(r.metrics());
            evidence(r.evidence());
            sb.append("</article>");
        }

        private void metrics(Map<String, Object> metrics) {
            if (metrics == null || metrics.isEmpty()) {
                return;
            }
            StringBuilder charts = new StringBuilder();
            StringBuilder table = new StringBuilder();
            for (Metrics.Entry e : Metrics.group(metrics)) {
                String chart = e.stats() == null ? null : Charts.distribution(e.name(), e.stats());
                if (chart != null) {
                    charts.append(chart);
                } else {
                    table.append("<tr><th>").append(esc(e.name())).append("</th><td>")
                            .append(value(e.stats() == null ? e.value() : e.stats())).append("</td></tr>");
                }
            }
            sb.append("<div class=\"metrics\">");
            if (!charts.isEmpty()) {
                sb.append("<div class=\"charts\">").append(charts).append("</div>");
            }
            if (!table.isEmpty()) {
                sb.append("<table class=\"kv\"><tbody>").append(table).append("</tbody></table>");
            }
            sb.append("</div>");
        }

        private String value(Object v) {
            if (v instanceof Number n) {
                return esc(n instanceof Double || n instanceof Float ? Format.num(n.doubleValue()) : n.toString());
            }
            if (v instanceof String || v instanceof Boolean || v == null) {
                return esc(v);
            }
            return "<code>" + esc(toJson(v)) + "</code>";
        }

        private void evidence(Map<String, Object> evidence) {
            if (evidence == null || evidence.isEmpty()) {
                return;
            }
            sb.append("<div class=\"evidence\">");
            evidence.forEach((k, v) -> {
                if (TRACE_KEYS.contains(k)) {
                    sb.append("<h4>Minimal interleaving (").append(esc(k)).append(")</h4><pre class=\"trace\">")
                            .append(esc(v instanceof String s ? s : toJson(v))).append("</pre>");
                } else if (k.equals("threadDump") || v instanceof Map<?, ?> m && m.containsKey("waitsFor")
                        && m.containsKey("dump")) {
                    threadDump(k, v);
                } else if (k.equals("rows") || isListOfMaps(v)) {
                    rows(k.equals("rows") ? "Offending rows" : k, v);
                } else if (k.equals("exception")) {
                    sb.append("<details class=\"exception\" open><summary>Exception</summary><pre>")
                            .append(esc(v instanceof String s ? s : toJson(v))).append("</pre></details>");
                } else if (REPORT_KEYS.contains(k) && v instanceof String s) {
                    Path index = s.endsWith(".html") ? Path.of(s) : Path.of(s).resolve("index.html");
                    sb.append("<p>jcstress report: <a href=\"").append(esc(href(outDir, index))).append("\">")
                            .append(esc(index)).append("</a>").append(Files.exists(index) ? "" : " <i>(not found)</i>")
                            .append("</p>");
                } else if (v instanceof String s && s.length() <= 160 && !s.contains("\n")) {
                    sb.append("<p class=\"ev\"><b>").append(esc(k)).append(":</b> ").append(esc(s)).append("</p>");
                } else {
                    sb.append("<h4>").append(esc(k)).append("</h4><pre>")
                            .append(esc(v instanceof String s ? s : toJson(v))).append("</pre>");
                }
            });
            sb.append("</div>");
        }

        private static boolean isListOfMaps(Object v) {
            return v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(e -> e instanceof Map<?, ?>);
        }

        private void threadDump(String key, Object v) {
            sb.append("<div class=\"threaddump\"><h4>").append(key.equals("threadDump") ? "Thread dump" : esc(key));
            if (v instanceof Map<?, ?> m) {
                if (m.get("takenAt") != null) {
                    sb.append(" <small>taken at ").append(esc(m.get("takenAt"))).append("</small>");
                }
                sb.append("</h4>");
                if (m.get("deadlocked") instanceof List<?> dl && !dl.isEmpty()) {
                    sb.append("<p class=\"deadlock\">JVM-reported deadlock among: ")
                            .append(esc(String.join(", ", dl.stream().map(String::valueOf).toList()))).append("</p>");
                }
                if (m.get("waitsFor") instanceof List<?> waits && !waits.isEmpty()) {
                    sb.append("<ul class=\"waits\">");
                    waits.forEach(w -> sb.append("<li>").append(esc(w)).append("</li>"));
                    sb.append("</ul>");
                } else {
                    sb.append("<p class=\"note\">No thread waits on a lock with a known owner.</p>");
                }
                if (m.get("dump") != null) {
                    sb.append("<details><summary>Full thread dump</summary><pre>").append(esc(m.get("dump")))
                            .append("</pre></details>");
                }
            } else {
                sb.append("</h4><details><summary>Full thread dump</summary><pre>").append(esc(v))
                        .append("</pre></details>");
            }
            sb.append("</div>");
        }

        private void rows(String heading, Object v) {
            sb.append("<h4>").append(esc(heading)).append("</h4>");
            if (!(v instanceof List<?> list) || list.isEmpty()) {
                sb.append("<pre>").append(esc(toJson(v))).append("</pre>");
                return;
            }
            Set<String> columns = new LinkedHashSet<>();
            boolean maps = list.stream().allMatch(e -> e instanceof Map<?, ?>);
            if (maps) {
                list.forEach(e -> ((Map<?, ?>) e).keySet().forEach(c -> columns.add(String.valueOf(c))));
            }
            sb.append("<div class=\"scroll\"><table class=\"rows\">");
            if (maps) {
                sb.append("<thead><tr>");
                columns.forEach(c -> sb.append("<th>").append(esc(c)).append("</th>"));
                sb.append("</tr></thead>");
            }
            sb.append("<tbody>");
            for (Object e : list) {
                sb.append("<tr>");
                if (maps) {
                    Map<?, ?> m = (Map<?, ?>) e;
                    columns.forEach(c -> sb.append("<td>").append(value(m.get(c))).append("</td>"));
                } else if (e instanceof List<?> cells) {
                    cells.forEach(c -> sb.append("<td>").append(value(c)).append("</td>"));
                } else {
                    sb.append("<td>").append(value(e)).append("</td>");
                }
                sb.append("</tr>");
            }
            sb.append("</tbody></table></div>");
        }

        private void jmh() {
            sb.append("<section id=\"jmh\"><h2>JMH before/after</h2><p class=\"note\">Medians of the raw "
                    + "iteration samples (all forks), the distribution-free 95% confidence interval of each median, "
                    + "the ratio after/before of the medians, and a two-sided Mann–Whitney U test (α = 0.05; "
                    + "fewer than ").append(Stats.MIN_SAMPLES).append(" samples per side: too few samples).</p>");
            for (JmhComparison.Table t : jmh) {
                sb.append("<h3>").append(esc(t.title())).append("</h3>").append(JmhRender.html(t));
            }
            sb.append("</section>");
        }
    }

    static String toJson(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (IOException e) {
            return String.valueOf(v);
        }
    }
}
