package io.stresslab.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void flatPercentileKeysBecomeOneDistributionInPlace() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reclaimed", true);
        m.put("lockWaitCount", 400);
        m.put("lockWaitP50Ms", 3.0);
        m.put("lockWaitP90Ms", 12.5);
        m.put("lockWaitP99Ms", 40.1);
        m.put("lockWaitMaxMs", 80.0);
        m.put("reclaimMs", 1_004.2);
        m.put("duplicateKeys", 0);
        List<Metrics.Entry> entries = Metrics.group(m);
        assertThat(entries).extracting(Metrics.Entry::name)
                .containsExactly("reclaimed", "lockWait", "reclaimMs", "duplicateKeys");
        assertThat(entries.get(1).stats()).containsEntry("p50", 3.0).containsEntry("max", 80.0)
                .containsEntry("count", 400).containsEntry("unit", "ms");
        assertThat(Charts.distribution("lockWait", entries.get(1).stats(), Charts.AFTER))
                .contains("40.1 ms", "(n = 400)");
    }

    @Test
    void nestedDistributionsAndLoneStatsAreRecognisedOrLeftAlone() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("upsert", Map.of("p50", 1.0, "p99", 3.0, "max", 4.0, "count", 10));
        m.put("config", Map.of("threads", 4));
        m.put("timeToFirstReadyMax", 12); // one stat alone is not a distribution
        assertThat(Metrics.group(m)).extracting(e -> e.stats() != null).containsExactly(true, false, false);
    }
}
