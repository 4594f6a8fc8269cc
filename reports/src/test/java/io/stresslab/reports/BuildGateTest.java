package io.stresslab.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.ResultsWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build gate writes the report, then fails on a failed check record or a failed stress-module test. */
class BuildGateTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private void gate(Path records, Path surefire) {
        BuildGate.run(new PrintWriter(out, true), new PrintWriter(err, true), "--surefire", surefire.toString(),
                "--records", records.toString(), "--out", dir.resolve("report").toString(), "--fail-on-regression");
    }

    private Path passingRecords() {
        Path records = dir.resolve("records");
        ResultsWriter w = new ResultsWriter(records);
        for (CheckRecord r : SampleRecords.allPassing()) {
            w.write(r);
        }
        return records;
    }

    @Test
    void passesWhenEveryCheckAndTestPassed() throws Exception {
        Path surefire = Files.createDirectories(dir.resolve("surefire"));
        Files.writeString(surefire.resolve("TEST-ok.xml"), """
                <testsuite name="ok" tests="1" failures="0" errors="0">
                  <testcase classname="io.example.OkTest" name="fine" time="0.1"/>
                </testsuite>""");
        gate(passingRecords(), surefire);
        assertThat(dir.resolve("report/index.html")).exists();
        assertThat(err.toString()).doesNotContain("test failed");
    }

    @Test
    void failsAfterWritingTheReportWhenAStressTestFailed() throws Exception {
        Path surefire = Files.createDirectories(dir.resolve("surefire"));
        Files.writeString(surefire.resolve("TEST-bad.xml"), """
                <testsuite name="bad" tests="2" failures="1" errors="1">
                  <testcase classname="io.example.BadTest" name="broken" time="0.1">
                    <failure message="expected held but was violated&#10;second line">trace</failure>
                  </testcase>
                  <testcase classname="io.example.BadTest" name="crashed" time="0.1">
                    <error message="boom">trace</error>
                  </testcase>
                </testsuite>""");
        assertThatThrownBy(() -> gate(passingRecords(), surefire))
                .isInstanceOf(BuildGate.GateFailure.class)
                .hasMessageContaining("2 stress-module test(s) failed");
        assertThat(dir.resolve("report/index.html")).exists();
        assertThat(err.toString())
                .contains("test failed: io.example.BadTest.broken: expected held but was violated")
                .contains("test failed: io.example.BadTest.crashed: boom")
                .doesNotContain("second line");
    }
}
