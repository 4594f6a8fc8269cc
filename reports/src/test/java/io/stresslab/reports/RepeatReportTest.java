package io.stresslab.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.ResultsWriter;
import io.stresslab.stress.harness.Tool;
import io.stresslab.stress.harness.Verdict;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records written under --repeat: detection rate and time to detection in the matrix, flaky ones flagged. */
class RepeatReportTest {
    @TempDir
    Path tmp;

    private static CheckRecord repeated(String variant, Expect expect, Verdict verdict, int runs, int detected) {
        CheckRecord.Repeat rep = new CheckRecord.Repeat(runs, detected, 0,
                CheckRecord.Distribution.of(List.of(40L, 50L, 900L).subList(0, Math.min(3, detected))),
                List.of(40L, 50L, 900L), List.of(2L, 2L, 2L));
        return new CheckRecord(CheckRecord.SCHEMA, "ORCH-1", variant, expect, "h2", Tool.LIVENESS,
                "complete-last-subtask", verdict, "s", null, 6, 990, "2026-11-30T17:00:00Z", "17", rep, Map.of(
                        "workerStartMillis", 120), Map.of());
    }

    @Test
    void aReproductionCaughtInSomeRunsIsFlakyAndFailsOnlyWithFailOnFlaky() throws Exception {
        Path records = tmp.resolve("records");
        ResultsWriter w = new ResultsWriter(records);
        w.write(repeated("reentering-lock", Expect.REPRODUCE, Verdict.REPRODUCED, 3, 2));
        w.write(repeated("lock-once", Expect.HOLD, Verdict.HELD, 3, 0));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int plain = ReportsCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "report", "-r",
                records.toString(), "-o", tmp.resolve("r1").toString(), "--fail-on-regression", "--time-table");
        assertThat(plain).isZero();
        assertThat(out.toString()).contains("TIME TABLE", "liveness", "worker JVM starts", "report");
        String html = Files.readString(tmp.resolve("r1/index.html"));
        assertThat(html).contains("FLAKY", "2/3 · p50 40 ms", "detected in 2/3 runs");

        int flaky = ReportsCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "report", "-r",
                records.toString(), "-o", tmp.resolve("r2").toString(), "--fail-on-flaky");
        assertThat(flaky).isEqualTo(ReportsCli.REGRESSION);
        assertThat(err.toString()).contains("ORCH-1 reentering-lock on h2: flaky, reproduced in 2/3 runs");
    }

    @Test
    void theRepeatBlockSurvivesTheJsonRoundTrip() {
        Path records = tmp.resolve("rt");
        new ResultsWriter(records).write(repeated("reentering-lock", Expect.REPRODUCE, Verdict.REPRODUCED, 3, 3));
        CheckRecord back = ReportGenerator.readRecords(List.of(records)).get(0);
        assertThat(back.repeat().rate()).isEqualTo("3/3");
        assertThat(back.repeat().timeToDetectionMillis().p50()).isEqualTo(50);
        assertThat(back.repeat().flaky()).isFalse();
    }
}
