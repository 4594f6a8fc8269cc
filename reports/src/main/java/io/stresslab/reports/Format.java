package io.stresslab.reports;

import java.util.Locale;

/** Number and text formatting shared by the HTML and text outputs. */
final class Format {
    private Format() {
    }

    /** A number with about three significant digits, thousands separated. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "-∞";
        }
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        String fixed = a >= 100 ? String.format(Locale.ROOT, "%.1f", v)
                : a >= 1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.3g", v);
        return fixed.contains(".") && !fixed.contains("e") ? fixed.replaceAll("0+$", "").replaceAll("\\.$", "") : fixed;
    }

    static String ratio(double r) {
        return Double.isFinite(r) ? String.format(Locale.ROOT, "×%.3f", r) : "n/a";
    }

    static String millis(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
