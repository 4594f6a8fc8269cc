package io.stresslab.reports;

import java.util.Arrays;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.TDistribution;
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

    /**
     * A ratio estimated from paired forks: its geometric mean over the pairs and the 95 % confidence interval
     * {@code [low, high]}, from Student's t on the log ratios (so the interval is symmetric in log space).
     */
    public record PairedRatio(double ratio, double low, double high, int pairs) {
        /** Half the interval's width as a fraction of the ratio: the "± %" of a table. */
        public double relativeHalfWidth() {
            return (high - low) / 2 / ratio;
        }
    }

    /**
     * The speed ratio of {@code a} over {@code b} from forks run in pairs (fork i of a beside fork i of b):
     * {@code a[i]/b[i]} per pair (inverted for time modes, {@code higherIsBetter = false}, so above 1 always
     * means "a is faster"), their geometric mean, and the 95 % t interval from the pairs' log ratios (n − 1 degrees
     * of freedom). Pairing cancels what drifts between pairs (the machine's load, the JIT's luck of a JVM). Null unless
     * both sides have the same number (at least 2) of positive values.
     */
    public static PairedRatio pairedRatio(double[] a, double[] b, boolean higherIsBetter) {
        if (a == null || b == null || a.length != b.length || a.length < 2) {
            return null;
        }
        int n = a.length;
        double[] logs = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(a[i] > 0) || !(b[i] > 0)) {
                return null;
            }
            logs[i] = higherIsBetter ? Math.log(a[i] / b[i]) : Math.log(b[i] / a[i]);
        }
        double mean = Arrays.stream(logs).average().orElse(Double.NaN);
        double ss = 0;
        for (double l : logs) {
            ss += (l - mean) * (l - mean);
        }
        double half = new TDistribution(null, n - 1).inverseCumulativeProbability(0.975) * Math.sqrt(ss / (n - 1))
                / Math.sqrt(n);
        return new PairedRatio(Math.exp(mean), Math.exp(mean - half), Math.exp(mean + half), n);
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
