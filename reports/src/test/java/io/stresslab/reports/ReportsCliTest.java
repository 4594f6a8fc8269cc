package io.stresslab.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stresslab.stress.harness.ResultsWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsCliTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return ReportsCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void compareWritesTheStatisticsTableAndAnHtmlPage() throws Exception {
        Path html = tmp.resolve("cmp/compare.html");
        int code = run("compare", Fixtures.path("jmh-before.json").toString(),
                Fixtures.path("jmh-after.json").toString(), "--html", html.toString());
        assertThat(code).isZero();
        assertThat(out.toString()).contains("jmh-before.json → jmh-after.json", "after/before", "Mann–Whitney U",
                "IdempotencyBench.reserve [thrpt, 4 threads, keys=64]", "significant (p ",
                "after is faster", "IdempotencyBench.lookup [avgt, keys=64]", "not significant",
                "geometric mean of after/before ratios: ×");
        assertThat(Files.readString(html)).contains("<table class=\"jmh\">", "<svg class=\"chart jmh\"");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void compareOfOneFilePairsItsVariantsForkByFork() {
        int code = run("compare", Fixtures.path("jmh-paired.json").toString(), "--html",
                tmp.resolve("paired.html").toString());
        assertThat(code).isZero();
        assertThat(out.toString()).contains("IdempotentRequestBenchmark.request [thrpt, keys=hot]", "get-then-set",
                "atomic-reservation", "paired speed-up (95% CI)", "×1.500 [×1.500, ×1.500] ±0% (3 pairs)");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void missingOrMalformedInputIsOneLineAndExitCodeTwo() {
        assertThat(run("compare", tmp.resolve("nope.json").toString(), Fixtures.path("jmh-after.json").toString(),
                "--html", tmp.resolve("x.html").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: JMH result file not found: ").hasLineCount(1);

        err.getBuffer().setLength(0);
        assertThat(run("compare", Fixtures.path("jmh-malformed.json").toString(),
                Fixtures.path("jmh-after.json").toString(), "--html", tmp.resolve("x.html").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: malformed JMH JSON in ").contains("(line 3, column ")
                .hasLineCount(1).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void theGateFailsAfterWritingTheReportWithOneLinePerFailure() {
        ResultsWriter w = new ResultsWriter(tmp.resolve("records"));
        SampleRecords.failing().forEach(w::write);
        Path outDir = tmp.resolve("report");
        int code = run("report", "--records", tmp.resolve("records").toString(), "--out", outDir.toString(),
                "--fail-on-regression");
        assertThat(code).isEqualTo(1);
        assertThat(outDir.resolve("index.html")).exists();
        assertThat(outDir.resolve("summary.json")).exists();
        assertThat(err.toString().lines().toList()).hasSize(4).first().asString()
                .startsWith("KAGENT-2 transactional-delete-insert on postgresql: expected reproduced, was "
                        + "not-reproduced — 0 torn sets");
        assertThat(out.toString()).startsWith("FAIL: ");
    }

    @Test
    void theGatePassesOnAGreenBuildAndOnNoRecordsAtAll() {
        ResultsWriter w = new ResultsWriter(tmp.resolve("records"));
        SampleRecords.allPassing().forEach(w::write);
        assertThat(run("report", "-r", tmp.resolve("records").toString(), "-o", tmp.resolve("a").toString(),
                "--fail-on-regression")).isZero();
        assertThat(run("report", "-r", tmp.resolve("none").toString(), "-o", tmp.resolve("b").toString(),
                "--fail-on-regression")).isZero();
        assertThat(out.toString()).contains("PASS: All ", "EMPTY: No stress results");
        assertThat(tmp.resolve("b/index.html")).exists();
    }

    @Test
    void theMavenGateEntryPointThrowsWithoutAStackTraceAfterWritingTheReport() {
        ResultsWriter w = new ResultsWriter(tmp.resolve("records"));
        SampleRecords.failing().forEach(w::write);
        Path outDir = tmp.resolve("gate");
        assertThatThrownBy(() -> BuildGate.run(new PrintWriter(out, true), new PrintWriter(err, true), "--records",
                tmp.resolve("records").toString(), "--out", outDir.toString(), "--fail-on-regression"))
                .isInstanceOf(BuildGate.GateFailure.class).hasMessageContaining("regressed")
                .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
        assertThat(outDir.resolve("index.html")).exists();
        assertThat(err.toString()).contains("TAOS-1 atomic-reservation: expected held, was violated");
    }

    @Test
    void aCorruptRecordIsBadInput() throws Exception {
        Files.createDirectories(tmp.resolve("records"));
        Files.writeString(tmp.resolve("records/broken.json"), "{\"bug\": ");
        assertThat(run("report", "-r", tmp.resolve("records").toString(), "-o", tmp.resolve("c").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("error: cannot read records from ").hasLineCount(1);
    }
}
