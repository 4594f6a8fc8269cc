package io.stresslab.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The hypervisor's share of the CPU between two readings of {@code /proc/stat}. */
class CpuStealTest {
    @Test
    void stealIsItsShareOfEveryCpuTickButGuestTime() {
        CpuSteal a = CpuSteal.parse("cpu  100 0 50 800 10 0 0 40 7 0");
        CpuSteal b = CpuSteal.parse("cpu  160 0 80 900 10 0 0 100 9 0");
        // 60 + 30 + 100 + 60 ticks passed, 60 of them stolen; guest ticks are already inside user
        assertEquals(60.0 / 250, b.since(a), 1e-12);
    }

    @Test
    void unreadableCountersGiveNoShareRatherThanAWrongOne() {
        assertTrue(Double.isNaN(CpuSteal.parse("intr 1 2 3").since(CpuSteal.parse("cpu 1 2 3 4 5 6 7 8"))));
        assertTrue(Double.isNaN(CpuSteal.parse("cpu 1 2 3 4 5 6 7 8").since(CpuSteal.parse("cpu 1 2"))));
        double now = CpuSteal.now().since(CpuSteal.now());
        assertTrue(Double.isNaN(now) || now >= 0 && now <= 1, "a share or unknown: " + now);
    }

    @Test
    void aShareIsKeptToATenthOfAPercentAndNoReadingStaysNoReading() {
        assertEquals(0.123, CpuSteal.rounded(0.12345));
        assertTrue(Double.isNaN(CpuSteal.rounded(Double.NaN)));
    }
}
