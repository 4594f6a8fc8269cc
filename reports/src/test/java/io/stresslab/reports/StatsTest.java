package io.stresslab.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianOfOddAndEvenSamples() {
        assertThat(Stats.median(new double[]{3, 1, 2})).isEqualTo(2);
        assertThat(Stats.median(new double[]{4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void medianConfidenceIntervalUsesBinomialOrderStatistics() {
        double[] ten = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
        // n = 10: P(Bin(10, .5) <= 1) = 0.0107 <= 0.025 < P(<= 2) = 0.0547, so k = 2: [x(2), x(9)]
        assertThat(Stats.medianCi95(ten)).isEqualTo(new Stats.Interval(2, 9));
        // n = 6: only [x(1), x(6)] reaches 95% (coverage 1 - 2/64)
        assertThat(Stats.medianCi95(new double[]{6, 5, 4, 3, 2, 1})).isEqualTo(new Stats.Interval(1, 6));
        assertThat(Stats.medianCi95(new double[]{1, 2, 3, 4, 5})).isNull();
    }

    @Test
    void mannWhitneyFindsASeparatedShiftAndRefusesTinySamples() {
        double[] a = {1, 2, 3, 4, 5, 6};
        double[] b = {11, 12, 13, 14, 15, 16};
        assertThat(Stats.mannWhitneyP(a, b)).isLessThan(0.01);
        assertThat(Stats.mannWhitneyP(a, new double[]{1.5, 2.5, 3.5, 4.5, 5.5, 6.5})).isGreaterThan(0.5);
        assertThat(Stats.mannWhitneyP(new double[]{1, 2, 3, 4}, b)).isNaN();
    }

    @Test
    void geometricMean() {
        assertThat(Stats.geometricMean(new double[]{2, 8})).isCloseTo(4, within(1e-9));
        assertThat(Stats.geometricMean(new double[]{})).isNaN();
    }

    @Test
    void variantPairsAreOrientedBeforeToAfterAndCeilingsStayReferences() {
        JmhComparison.Table t = JmhComparison.byVariant("f", JmhResult.read(Fixtures.path("jmh-variants.json")));
        assertThat(t.rows()).extracting(JmhComparison.Row::beforeLabel, JmhComparison.Row::afterLabel)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("get-then-set", "atomic-reservation"),
                        org.assertj.core.groups.Tuple.tuple("before", "after"));
        JmhComparison.Row reserve = t.rows().get(0);
        assertThat(reserve.before()).hasSize(10);
        assertThat(reserve.significant()).isTrue();
        assertThat(reserve.direction()).isEqualTo("after is faster");
        assertThat(t.rows().get(1).significance()).isEqualTo("too few samples (3 / 3)");
        assertThat(t.rows().get(1).ratio()).isLessThan(0.01);
        assertThat(t.unpaired()).extracting(JmhResult::method).isEqualTo(List.of("ceiling"));
        assertThat(t.geometricMeanRatio()).isCloseTo(Math.sqrt(reserve.ratio() * t.rows().get(1).ratio()),
                within(1e-9));
    }
}
