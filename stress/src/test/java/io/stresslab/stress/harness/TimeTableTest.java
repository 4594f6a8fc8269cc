package io.stresslab.stress.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The time table: phases, worker starts apart, and the CPU the host took while the checks ran. */
class TimeTableTest {
    private static CheckRecord ran(Tool tool, long millis, Map<String, Object> metrics) {
        return new CheckRecord(CheckRecord.SCHEMA, "ORCH-1", "lock-once", Expect.HOLD, "h2", tool,
                "complete-last-subtask", Verdict.HELD, "s", 1, millis, "2026-12-03T13:00:00Z", "17", metrics, Map.of());
    }

    @Test
    void theStealIsWeightedByCheckTimeAndShownPerCheck() {
        List<String> lines = TimeTable.lines(List.of(
                ran(Tool.LINCHECK, 3_000, Map.of(TimeTable.CPU_STEAL_METRIC, 0.40)),
                ran(Tool.MULTI_WORKER, 1_000, Map.of(TimeTable.CPU_STEAL_METRIC, 0.0,
                        TimeTable.WORKER_START_METRIC, 400)),
                ran(Tool.LIVENESS, 500, Map.of())), Map.of("report", 100L));
        // (0.40 × 3 s + 0 × 1 s) / 4 s; the unmeasured check does not count
        assertThat(lines).contains("  CPU steal while the checks ran: 30 % (the share of this machine's CPU its host"
                + " gave to others, weighted by check time)");
        assertThat(lines).anyMatch(l -> l.contains("lincheck") && l.matches(".* 3\\.0 s +40 %"));
        assertThat(lines).anyMatch(l -> l.startsWith("  worker JVM starts") && l.contains("0.4 s"));
        assertThat(lines.get(0)).isEqualTo("TIME TABLE — where the wall time went (4.6 s in all, 3 checks)");
    }

    @Test
    void aRunWithoutStealReadingsSaysNothingAboutIt() {
        assertThat(TimeTable.lines(List.of(ran(Tool.THREADS, 10, Map.of())), Map.of()))
                .noneMatch(l -> l.contains("CPU steal"));
    }
}
