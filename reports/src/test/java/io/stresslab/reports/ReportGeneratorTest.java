package io.stresslab.reports;

import io.stresslab.core.Catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.ResultsWriter;
import io.stresslab.stress.harness.Tool;
import io.stresslab.stress.harness.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportGeneratorTest {
    @TempDir
    Path tmp;

    private ReportGenerator.Report generate(List<CheckRecord> records, List<Path> jmh) {
        ResultsWriter w = new ResultsWriter(tmp.resolve("records"));
        records.forEach(w::write);
        return new ReportGenerator().generate(new ReportGenerator.Inputs(List.of(tmp.resolve("records")), jmh,
                List.of(), tmp.resolve("out")));
    }

    @Test
    void greenBuildSaysSoInWordsAndColourWithAMatrixOfTheTenBugsInCatalogueOrder() throws Exception {
        ReportGenerator.Report r = generate(SampleRecords.allPassing(), List.of());
        String html = Files.readString(r.html());

        assertThat(r.outcome().state()).isEqualTo(Outcome.State.PASS);
        assertThat(r.outcome().headline())
                .isEqualTo("All 11 reproductions reproduced, all 11 fixes held; 1 check skipped");
        assertThat(html).contains("<header id=\"verdict\" class=\"verdict pass\">", ">PASS</span>",
                "All 11 reproductions reproduced, all 11 fixes held");
        List<String> ids = Catalogue.bugs().stream().map(Catalogue.Bug::id).toList();
        assertThat(ids).containsExactly("KAGENT-1", "KAGENT-2", "MOLECULE-1", "MOLECULE-2", "ARCHON-1", "ORCH-1",
                "ORCH-2", "TAOS-1", "TAOS-2", "TAOS-3");
        String matrix = html.substring(html.indexOf("<table class=\"matrix\">"), html.indexOf("</table>",
                html.indexOf("<table class=\"matrix\">")));
        Matcher rowIds = Pattern.compile("<tr><th scope=\"row\"><a href=\"#([A-Z0-9-]+)\"").matcher(matrix);
        List<String> seen = rowIds.results().map(m -> m.group(1)).toList();
        assertThat(seen).isEqualTo(ids);
        assertThat(matrix).contains("before: <b>caught</b>", "after: <b>held</b>", "before: <b>skipped</b>",
                "Tool-set replacement is torn", "<th>database postgresql</th>", "<th>multi-worker</th>");
        // every mechanism text is shown, every record's summary, the trace, the thread dump's waits and rows
        Catalogue.bugs().forEach(b -> assertThat(html).contains(Html.esc(b.mechanism())));
        assertThat(html).contains("<pre class=\"trace\">", "cache.get(&quot;k&quot;): null",
                "<ul class=\"waits\"><li>agent-worker (WAITING) waits for",
                "<details><summary>Full thread dump</summary>", "<td>tool-b-2</td>", "<svg class=\"chart latency\"",
                "4 tools left after 2 overlapping refreshes", "aria-label=\"lockWait distribution\"",
                "Minimal interleaving (lincheck)", "<h4>outcomes</h4>",
                "aria-label=\"agentUpsertLatency · agent-starved-by-mcp · h2 before vs after\"");
        assertSelfContained(html);

        JsonNode summary = new ObjectMapper().readTree(r.summary().toFile());
        assertThat(summary.path("verdict").path("state").asText()).isEqualTo("pass");
        assertThat(summary.path("records")).hasSize(SampleRecords.allPassing().size());
        assertThat(summary.path("matrix")).hasSize(10);
        assertThat(summary.path("matrix").get(1).path("cells").path("database postgresql").path("before").asText())
                .isEqualTo("caught");
    }

    @Test
    void failuresAreNamedInTheHeaderAndTheirTextIsEscaped() throws Exception {
        ReportGenerator.Report r = generate(SampleRecords.failing(), List.of());
        String html = Files.readString(r.html());

        assertThat(r.outcome().state()).isEqualTo(Outcome.State.FAIL);
        assertThat(r.outcome().headline()).isEqualTo("1 of 12 reproductions did NOT reproduce, 1 of 12 fixes VIOLATED, "
                + "1 check errored; 1 check skipped");
        assertThat(r.outcome().failureLines()).containsExactly(
                "KAGENT-2 transactional-delete-insert on postgresql: expected reproduced, was not-reproduced — "
                        + "0 torn sets over 50 rounds " + SampleRecords.NASTY + " (multi-worker/two-controllers)",
                "ORCH-2 fenced-lease on h2: expected held, was error — check failed to run: IllegalStateException: "
                        + "pool closed (database/stale-write)",
                "TAOS-1 atomic-reservation: expected held, was violated — waiters stranded: 3 of 4 timed out "
                        + "(liveness/owner-dies)");
        assertThat(html).contains("class=\"verdict fail\"", ">FAIL</span>", "after: <b>VIOLATED</b>",
                "before: <b>MISSED</b>", "after: <b>ERROR</b>", "<ul class=\"failures\">");
        assertThat(html).doesNotContain(SampleRecords.NASTY).doesNotContain("<script")
                .contains("&lt;/pre&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;");
        assertSelfContained(html);
    }

    @Test
    void noRecordsAtAllIsReportedAsNothingVerifiedNotAsAFailure() throws Exception {
        ReportGenerator.Report r = new ReportGenerator().generate(new ReportGenerator.Inputs(
                List.of(tmp.resolve("missing")), List.of(), List.of(), tmp.resolve("out")));
        String html = Files.readString(r.html());
        assertThat(r.outcome().state()).isEqualTo(Outcome.State.EMPTY);
        assertThat(r.outcome().failures()).isEmpty();
        assertThat(html).contains("class=\"verdict empty\"", "NOTHING VERIFIED",
                "No stress results: the stress checks did not run (skipped)", "<table class=\"matrix\">");
    }

    @Test
    void jmhPairsGetATableAChartAndAGeometricMean() throws Exception {
        ReportGenerator.Report r = generate(SampleRecords.allPassing(), List.of(Fixtures.path("jmh-variants.json")));
        String html = Files.readString(r.html());
        assertThat(html).contains("<section id=\"jmh\">", "IdempotencyBench.reserve [thrpt, 4 threads, keys=64]",
                "get-then-set", "atomic-reservation", "significant (p ", "too few samples (3 / 3)",
                "geometric mean", "speed-up after vs before", "<svg class=\"chart jmh\"", "IdempotencyBench.ceiling");
        JsonNode pairs = new ObjectMapper().readTree(r.summary().toFile()).path("jmh").get(0).path("pairs");
        assertThat(pairs).hasSize(2);
        assertThat(pairs.get(0).path("before").asText()).isEqualTo("get-then-set");
        assertThat(pairs.get(0).path("ratio").asDouble()).isBetween(1.35, 1.40);
    }

    @Test
    void jcstressReportsAreLinkedRelativeToTheReport() throws Exception {
        Path jc = Files.createDirectories(tmp.resolve("jcstress results"));
        Files.writeString(jc.resolve("index.html"), "<html></html>");
        ResultsWriter w = new ResultsWriter(tmp.resolve("records"));
        SampleRecords.allPassing().forEach(w::write);
        ReportGenerator.Report r = new ReportGenerator().generate(new ReportGenerator.Inputs(
                List.of(tmp.resolve("records")), List.of(), List.of(jc), tmp.resolve("out")));
        String html = Files.readString(r.html());
        assertThat(html).contains("<section id=\"jcstress\">", "href=\"../jcstress%20results/index.html\"",
                "(not found)");
    }

    @Test
    void aTimelineInTheEvidenceIsLinkedRelativeToTheReport() throws Exception {
        Path page = Files.createDirectories(tmp.resolve("work").resolve("kagent2 run")).resolve("timeline-s1.html");
        Files.writeString(page, "<html></html>");
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("timeline", page.toString());
        ReportGenerator.Report r = generate(List.of(SampleRecords.record("KAGENT-2", "unlocked-refresh",
                Expect.REPRODUCE, "h2", Tool.DATABASE, "campaign", Verdict.REPRODUCED, "not linearizable", 10, 100,
                Map.of(), evidence)), List.of());
        String html = Files.readString(r.html());
        assertThat(html).contains("Timeline of the non-linearizable key: "
                + "<a href=\"../work/kagent2%20run/timeline-s1.html\">"
                + "timeline-s1.html</a>").doesNotContain("timeline-s1.html</a> <i>(not found)");
    }

    @Test
    void freeFormEvidenceBecomesTablesAndListsNotRawJson() throws Exception {
        Map<String, Object> workspaces = new LinkedHashMap<>();
        workspaces.put("concierge", Map.of("status", "failed", "heartbeats", 4099));
        workspaces.put("worker<1>", Map.of("status", "online", "heartbeats", 4099));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("workspaces", workspaces);
        evidence.put("rows", SampleRecords.orderedMap("round", 5, "storedToolIds",
                List.of("tool-a-5-0", "tool-b-5-1")));
        evidence.put("mixedReadSamples", List.of("[tool-a-0-1, tool-b-0-2]", "[tool-a-0-3]"));
        evidence.put("lincheckReport", SampleRecords.TRACE);
        evidence.put("stall", "no progress for 1500 ms");
        ReportGenerator.Report r = generate(List.of(SampleRecords.record("MOLECULE-1", "gate-returns-early",
                Expect.REPRODUCE, "h2", Tool.DATABASE, "closed-loop", Verdict.REPRODUCED, "stayed failed", 10, 100,
                Map.of(), evidence)), List.of());
        String html = Files.readString(r.html());
        assertThat(html).contains("<h4>workspaces</h4>", "<th>worker&lt;1&gt;</th>", "<td>failed</td>",
                "<h4>Offending rows</h4>", "<th>storedToolIds</th><td>tool-a-5-0, tool-b-5-1</td>",
                "<ul class=\"items\"><li>[tool-a-0-1, tool-b-0-2]</li>", "Minimal interleaving (lincheckReport)",
                "<p class=\"ev\"><b>stall:</b> no progress for 1500 ms</p>");
    }

    @Test
    void everyFieldOfAHostileRecordIsEscaped() throws Exception {
        String n = SampleRecords.NASTY;
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put(n, n);
        evidence.put("trace", n);
        evidence.put("rows", List.of(Map.of(n, n)));
        evidence.put("threadDump", Map.of("takenAt", n, "waitsFor", List.of(n), "deadlocked", List.of(n), "dump", n));
        evidence.put("exception", n);
        evidence.put("jcstressReport", n);
        ReportGenerator.Report r = generate(List.of(new CheckRecord(n, n, n, Expect.HOLD, n, Tool.LIVENESS, n,
                Verdict.VIOLATED, n, n, 1, 1, n, n, SampleRecords.orderedMap(n, n, "x" + n, Map.of("p50", 1, "p99", 2)),
                evidence)), List.of());
        String html = Files.readString(r.html());
        assertThat(html).doesNotContain("<script").doesNotContain("<b>bold</b>").doesNotContain("'x')");
        assertSelfContained(html);
    }

    static void assertSelfContained(String html) {
        assertThat(html).doesNotContainPattern("(?i)(src|href)\\s*=\\s*\"(https?:)?//")
                .doesNotContainPattern("(?i)<(script|link|img|iframe)\\b")
                .doesNotContainPattern("(?i)@import|url\\(");
    }
}
