package io.stresslab.stress.harness;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * A speed ratio of two benchmark variants from forks run in pairs (fork i of one beside fork i of the other, in the
 * same round of an interleaved run), with its 95 % confidence interval {@code [low, high]} (symmetric in log space).
 * One implementation for the bench tables and the reports.
 *
 * <p>Plain ({@link #of(double[], double[], boolean)}): the geometric mean of the pairs' ratios and Student's t on their
 * logs (n − 1 degrees of freedom). Pairing cancels what drifts between rounds, but not what differs within one: on a
 * virtual machine whose host takes a varying share of the CPU (steal), the two forks of a pair can get different
 * amounts of CPU.
 *
 * <p>At equal CPU steal ({@link #of(double[], double[], double[], double[], boolean)}): where every pair has both
 * forks' steal readings and the readings vary ({@link #MIN_STEAL_SPREAD}, at least {@link #MIN_ADJUSTED_PAIRS}
 * pairs), the pairs' log ratios are fitted by least squares to the log of their forks' CPU shares,
 * {@code ln((1 − steal_a) / (1 − steal_b))}, and the ratio is read where that is 0 — the two forks got the same CPU:
 * the line's intercept, with its t interval (n − 2 degrees of freedom). Steal is measured, not a score, so the rule
 * never looks at the ratios to decide, and no fork is dropped. Otherwise the plain ratio.
 */
public record PairedRatio(double ratio, double low, double high, int pairs, boolean atEqualSteal) {
    /** Fewest pairs the steal fit needs (two for the line, two degrees of freedom for its interval). */
    public static final int MIN_ADJUSTED_PAIRS = 4;
    /** Least standard deviation of the pairs' steal differences (a fraction of the CPU) that is fitted. */
    public static final double MIN_STEAL_SPREAD = 0.01;

    /** Half the interval's width as a fraction of the ratio: the "± %" of a table; NaN without an interval. */
    public double relativeHalfWidth() {
        return (high - low) / 2 / ratio;
    }

    /**
     * The plain paired speed ratio of {@code a} over {@code b}: {@code a[i]/b[i]} per pair (inverted when
     * {@code higherIsBetter} is false, time modes, so above 1 always means "a is faster"), over the pairs where both
     * are positive and finite. Null without such a pair; NaN bounds with one.
     */
    public static PairedRatio of(double[] a, double[] b, boolean higherIsBetter) {
        return of(a, b, null, null, higherIsBetter);
    }

    /**
     * The paired speed ratio of {@code a} over {@code b}, read at equal CPU steal where {@code stealA}/{@code stealB}
     * (each fork's share of the CPU taken by the host, NaN where unread; null when not recorded) allow it, else plain.
     */
    public static PairedRatio of(double[] a, double[] b, double[] stealA, double[] stealB, boolean higherIsBetter) {
        List<double[]> pairs = new ArrayList<>(); // {log ratio, log CPU-share ratio or NaN}
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (a[i] > 0 && b[i] > 0 && Double.isFinite(a[i]) && Double.isFinite(b[i])) {
                double y = higherIsBetter ? Math.log(a[i] / b[i]) : Math.log(b[i] / a[i]);
                pairs.add(new double[] {y, cpuShare(stealA, i) - cpuShare(stealB, i)});
            }
        }
        int n = pairs.size();
        if (n == 0) {
            return null;
        }
        double meanY = pairs.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        if (n < 2) {
            return new PairedRatio(Math.exp(meanY), Double.NaN, Double.NaN, n, false);
        }
        double meanX = pairs.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        double sxx = pairs.stream().mapToDouble(p -> (p[1] - meanX) * (p[1] - meanX)).sum();
        if (n >= MIN_ADJUSTED_PAIRS && Double.isFinite(meanX) && Math.sqrt(sxx / (n - 1)) >= MIN_STEAL_SPREAD) {
            SimpleRegression line = new SimpleRegression(); // log ratio = intercept + slope × log CPU-share ratio
            pairs.forEach(p -> line.addData(p[1], p[0]));
            return interval(line.getIntercept(), line.getInterceptStdErr(), n - 2, n, true);
        }
        double ss = pairs.stream().mapToDouble(p -> (p[0] - meanY) * (p[0] - meanY)).sum();
        return interval(meanY, Math.sqrt(ss / (n - 1) / n), n - 1, n, false);
    }

    private static PairedRatio interval(double logRatio, double standardError, int df, int pairs, boolean steal) {
        double half = new TDistribution(null, df).inverseCumulativeProbability(0.975) * standardError;
        return new PairedRatio(Math.exp(logRatio), Math.exp(logRatio - half), Math.exp(logRatio + half), pairs, steal);
    }

    /** ln of the CPU share fork i got, 1 − steal; NaN where steal was not read. */
    private static double cpuShare(double[] steal, int i) {
        if (steal == null || i >= steal.length || !(steal[i] >= 0 && steal[i] < 1)) {
            return Double.NaN;
        }
        return Math.log1p(-steal[i]);
    }
}
