package io.stresslab.reports;

import java.util.Arrays;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/** The few distribution-free statistics the JMH comparison needs. */
public final class Stats {
    /** Below this many samples per side a Mann–Whitney U test says nothing useful. */
    public static final int MIN_SAMPLES = 5;
    /** Two-sided significance level. */
    public static final double ALPHA = 0.05;

    private Stats() {
    }

    /** An interval [low, high]. */
    public record Interval(double low, double high) {
    }

    public static double median(double[] samples) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        double[] s = sorted(samples);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /**
     * The distribution-free 95% confidence interval of the median from order statistics: [x(k), x(n-k+1)] with the
     * largest k such that P(Binomial(n, 1/2) &lt; k) &le; 2.5%. Null when n &lt; 6 (no such k exists).
     */
    public static Interval medianCi95(double[] samples) {
        int n = samples.length;
        if (n < 6) {
            return null;
        }
        BinomialDistribution b = new BinomialDistribution(null, n, 0.5);
        int k = 0;
        while (k + 1 <= n && b.cumulativeProbability(k) <= 0.025) {
            k++; // P(X <= k-1) <= 0.025 holds for the new k
        }
        if (k < 1) {
            return null;
        }
        double[] s = sorted(samples);
        return new Interval(s[k - 1], s[n - k]);
    }

    /** The two-sided Mann–Whitney U p-value, or NaN when either side has fewer than {@link #MIN_SAMPLES} samples. */
    public static double mannWhitneyP(double[] before, double[] after) {
        if (before.length < MIN_SAMPLES || after.length < MIN_SAMPLES) {
            return Double.NaN;
        }
        return new MannWhitneyUTest().mannWhitneyUTest(before, after);
    }

    /** The geometric mean of positive ratios (NaN if there are none). */
    public static double geometricMean(double[] ratios) {
        double logSum = 0;
        int n = 0;
        for (double r : ratios) {
            if (r > 0 && Double.isFinite(r)) {
                logSum += Math.log(r);
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.exp(logSum / n);
    }

    private static double[] sorted(double[] samples) {
        double[] s = samples.clone();
        Arrays.sort(s);
        return s;
    }
}
