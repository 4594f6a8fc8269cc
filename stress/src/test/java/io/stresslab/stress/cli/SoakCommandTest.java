package io.stresslab.stress.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stresslab soak}: a very short run on H2 writes its record; bad input is one line and exit 2. */
class SoakCommandTest {
    @TempDir
    Path dir;

    @Test
    void aShortSoakOnH2WritesItsRecord() throws IOException {
        Path out = dir.resolve("soak");
        CliRun r = CliRun.of("soak", "--duration", "6s", "--segment", "3s", "--workers", "2", "--db", "h2",
                "--seed", "5", "--faults", "kill,transient", "--out", out.toString());
        assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.stdout()).contains("soak: done in");
        JsonNode rec = new ObjectMapper().readTree(out.resolve("soak.json").toFile());
        assertThat(rec.get("durationMillis").asLong()).isEqualTo(6000);
        assertThat(rec.get("workers").asInt()).isEqualTo(2);
        assertThat(rec.get("database").asText()).isEqualTo("h2");
        assertThat(rec.get("seed").asLong()).isEqualTo(5);
        assertThat(rec.get("operations").get("total").asLong()).isPositive();
        assertThat(rec.get("operations").get("perWorkload").get("orch2").asLong()).isPositive();
        assertThat(rec.get("operations").get("perWorkload").get("taos3").asLong()).isPositive();
        assertThat(rec.get("faults")).isNotEmpty(); // a kill -9 per segment
        assertThat(rec.get("faults").get(0).get("kind").asText()).isEqualTo("kill-9");
        assertThat(rec.get("violations").get("count").asInt()).isZero();
        assertThat(rec.get("hangs").asInt()).isZero();
        assertThat(rec.get("peakHeapBytes").asLong()).isPositive();
        assertThat(rec.get("segments")).hasSize(2);
    }

    private static void badInput(CliRun r, String message) {
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr().strip().lines().count()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains(message);
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws IOException {
        badInput(CliRun.of("soak", "--duration", "ten", "--out", dir.toString()), "not a duration");
        badInput(CliRun.of("soak", "--duration", "0s", "--out", dir.toString()), "positive duration");
        badInput(CliRun.of("soak", "--duration", "5s", "--db", "postgresql", "--pg-url",
                "jdbc:postgresql://127.0.0.1:1/none", "--out", dir.toString()), "stresslab:");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        badInput(CliRun.of("soak", "--duration", "5s", "--out", file.toString()), "cannot write to --out");
        badInput(CliRun.of("soak", "--workload", "orch9", "--out", dir.toString()), "unknown --workload");
    }
}
