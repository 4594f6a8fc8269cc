package io.stresslab.stress.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The paired ratio of the bench tables and reports: plain, and read at equal CPU steal. */
class PairedRatioTest {
    @Test
    void pairingCancelsDriftBetweenRoundsAndGivesATInterval() {
        // the machine got 4x slower across the rounds, but in every round after ran 1.5x before: exactly 1.5
        PairedRatio drift = PairedRatio.of(new double[] {150, 300, 600}, new double[] {100, 200, 400}, true);
        assertThat(drift.ratio()).isCloseTo(1.5, within(1e-12));
        assertThat(drift.relativeHalfWidth()).isCloseTo(0, within(1e-12));
        assertThat(drift.atEqualSteal()).isFalse();
        // time modes invert: half the time is twice the speed
        assertThat(PairedRatio.of(new double[] {1, 2}, new double[] {2, 4}, false).ratio()).isCloseTo(2, within(1e-12));
        // two pairs 2.2 and 1.8: geometric mean sqrt(3.96); t(0.975, 1 df) = 12.706
        PairedRatio two = PairedRatio.of(new double[] {2.2, 1.8}, new double[] {1, 1}, true);
        assertThat(two.ratio()).isCloseTo(Math.sqrt(3.96), within(1e-9));
        double half = 12.7062 * Math.abs(Math.log(2.2) - Math.log(1.8)) / Math.sqrt(2) / Math.sqrt(2);
        assertThat(two.high()).isCloseTo(Math.sqrt(3.96) * Math.exp(half), within(1e-3));
        assertThat(two.low()).isCloseTo(Math.sqrt(3.96) * Math.exp(-half), within(1e-4));
        // a failed fork (NaN) drops its pair only; one pair has no interval; none gives no ratio
        PairedRatio one = PairedRatio.of(new double[] {2, Double.NaN}, new double[] {1, 1}, true);
        assertThat(one.pairs()).isEqualTo(1);
        assertThat(one.relativeHalfWidth()).isNaN();
        assertThat(PairedRatio.of(new double[] {Double.NaN}, new double[] {1}, true)).isNull();
    }

    @Test
    void aRatioIsReadWhereBothForksGotTheSameCpu() {
        // after is 1.2x before on equal CPU; each fork's speed follows the CPU share the host left it
        Random random = new Random(1203);
        int n = 12;
        double[] after = new double[n];
        double[] before = new double[n];
        double[] stealAfter = new double[n];
        double[] stealBefore = new double[n];
        for (int i = 0; i < n; i++) {
            stealAfter[i] = random.nextDouble() * 0.4;
            stealBefore[i] = random.nextDouble() * 0.4;
            double noise = Math.exp(random.nextGaussian() * 0.01);
            after[i] = 1200 * (1 - stealAfter[i]) * noise;
            before[i] = 1000 * (1 - stealBefore[i]);
        }
        PairedRatio plain = PairedRatio.of(after, before, true);
        PairedRatio adjusted = PairedRatio.of(after, before, stealAfter, stealBefore, true);
        assertThat(adjusted.atEqualSteal()).isTrue();
        assertThat(adjusted.pairs()).isEqualTo(n);
        assertThat(adjusted.ratio()).isCloseTo(1.2, within(0.01));
        assertThat(adjusted.low()).isLessThan(1.2);
        assertThat(adjusted.high()).isGreaterThan(1.2);
        assertThat(adjusted.relativeHalfWidth()).isLessThan(0.02);
        assertThat(plain.relativeHalfWidth()).isGreaterThan(5 * adjusted.relativeHalfWidth());
        // without noise the line is exact: the ratio at equal CPU, no width
        double[] exact = new double[n];
        for (int i = 0; i < n; i++) {
            exact[i] = 1200 * (1 - stealAfter[i]);
        }
        PairedRatio line = PairedRatio.of(exact, before, stealAfter, stealBefore, true);
        assertThat(line.ratio()).isCloseTo(1.2, within(1e-9));
        assertThat(line.relativeHalfWidth()).isCloseTo(0, within(1e-6));
    }

    @Test
    void theRatioStaysPlainWhereStealCannotBeFitted() {
        double[] after = {1100, 1300, 1150, 1250, 1200};
        double[] before = {1000, 1000, 1000, 1000, 1000};
        PairedRatio plain = PairedRatio.of(after, before, true);
        // steal that did not vary (spread under a point), a fork without a reading, no readings, too few pairs
        double[] flat = {0.02, 0.025, 0.02, 0.02, 0.025};
        double[] zeros = new double[5];
        double[] unread = {0.1, 0.3, Double.NaN, 0.2, 0.0};
        for (PairedRatio r : new PairedRatio[] {PairedRatio.of(after, before, flat, zeros, true),
                PairedRatio.of(after, before, unread, zeros, true), PairedRatio.of(after, before, null, null, true),
                PairedRatio.of(Arrays.copyOf(after, 3), Arrays.copyOf(before, 3), new double[] {0.1, 0.3, 0.2},
                        zeros, true)}) {
            assertThat(r.atEqualSteal()).isFalse();
        }
        assertThat(PairedRatio.of(after, before, flat, zeros, true)).isEqualTo(plain);
    }
}
