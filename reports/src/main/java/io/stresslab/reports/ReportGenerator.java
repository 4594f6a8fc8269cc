package io.stresslab.reports;

import io.stresslab.core.Catalogue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.ResultsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
    public record Report(Path html, Path summary, Outcome outcome, List<CheckRecord> records) {
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
            Files.writeString(html, new ReportPage(outDir, sorted, outcome, matrix, jmh, jcstressDirs, sources,
                    Instant.now(clock)).render(),
                    StandardCharsets.UTF_8);
            JSON.writeValue(summary.toFile(), summary(sorted, outcome, matrix, jmh, jcstressDirs));
            return new Report(html, summary, outcome, sorted);
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
        verdict.put("state", o.state().name().toLowerCase(Locale.ROOT));
        verdict.put("headline", o.headline());
        verdict.put("records", o.records());
        verdict.put("reproductions", o.reproductions());
        verdict.put("reproduced", o.reproduced());
        verdict.put("fixes", o.fixes());
        verdict.put("held", o.held());
        verdict.put("skipped", o.skipped());
        verdict.put("errors", o.errors());
        verdict.put("failures", o.failureLines());
        verdict.put("flaky", Outcome.flakyLines(records));

        List<Object> rows = new ArrayList<>();
        for (Matrix.Row r : matrix) {
            Map<String, Object> cells = new LinkedHashMap<>();
            r.cells().forEach((c, cell) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("before", cell.before().text());
                m.put("after", cell.after().text());
                if (cell.before().detection() != null) {
                    m.put("beforeDetection", cell.before().detection());
                    m.put("beforeFlaky", cell.before().flaky());
                }
                cells.put(c.label(), m);
            });
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

    /** Whether an evidence key holds a Lincheck (or similar) interleaving trace: trace, lincheck, lincheckReport… */
    static boolean isTrace(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("trace") || k.contains("lincheck") || k.contains("interleaving");
    }
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

    static String toJson(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (IOException e) {
            return String.valueOf(v);
        }
    }
}
