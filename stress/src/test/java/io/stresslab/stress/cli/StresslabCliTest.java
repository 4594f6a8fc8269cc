package io.stresslab.stress.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line: bad input gives exit 2 and one line on stderr; --impl runs a user's class. */
class StresslabCliTest {
    @TempDir
    Path out;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "run --scenario NOPE-1",
            "run --duration 5parsecs",
            "run --db oracle",
            "run --db postgresql",
            "run --db postgresql --jdbc-url jdbc:mysql://127.0.0.1/test",
            "run --db postgresql --jdbc-url jdbc:postgresql://127.0.0.1:1/test",
            "run --impl KAGENT-2=com.example.Missing",
            "run --impl KAGENT-1=com.example.Missing",
            "run --workers 0",
            "run --faults lightning",
            "run --effort -1",
            "run --bogus-option"})
    void badInputIsOneLineAndExitTwo(String args) {
        CliRun r = run((args + " --out " + out).split(" "));
        assertThat(r.exit()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr().strip().lines().count()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("stresslab: ").doesNotContain("Exception", "\tat ");
    }

    @Test
    void anUnwritableOutIsOneLineAndExitTwoBeforeAnyCheck() throws Exception {
        Path file = java.nio.file.Files.createTempFile("stresslab-out", ".txt");
        CliRun r = run("run", "--scenario", "MOLECULE-2", "--out", file.resolve("sub").toString());
        assertThat(r.exit()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr().strip().lines().count()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("stresslab: cannot write to --out").doesNotContain("Exception", "\tat ");
        assertThat(r.stdout()).doesNotContain("checks of");
    }

    @Test
    void implRunsTheAfterChecksAgainstTheUsersClass() {
        CliRun r = run("run", "--impl", "KAGENT-2=" + ExampleUserRefresh.class.getName(), "--out", out.toString(),
                "--effort", "0.5", "--duration", "2s");
        assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("user:" + ExampleUserRefresh.class.getName())
                .contains("2 checks: 2 held");
    }
}
