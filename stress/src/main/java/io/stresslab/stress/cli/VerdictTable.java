package io.stresslab.stress.cli;

import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.Verdict;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The verdict table printed at the end of a run: one row per check, then the tally and the failures. */
public final class VerdictTable {
    private static final int SUMMARY_WIDTH = 90;

    private VerdictTable() {
    }

    public static void print(PrintStream out, List<CheckRecord> records) {
        String fmt = "%-10s %-30s %-10s %-12s %-26s %-14s %8s  %s%n";
        out.println();
        out.printf(fmt, "BUG", "VARIANT", "DATABASE", "TOOL", "CHECK", "VERDICT", "MS", "SUMMARY");
        Map<Verdict, Integer> tally = new EnumMap<>(Verdict.class);
        for (CheckRecord r : records) {
            tally.merge(r.verdict(), 1, Integer::sum);
            String verdict = r.verdict().passing() ? r.verdict().json() : r.verdict().json().toUpperCase() + " !";
            out.printf(fmt, r.bug(), r.variant(), r.database(), r.tool().json(), r.check(), verdict,
                    r.durationMillis(), truncate(r.summary()));
        }
        out.println();
        StringBuilder sb = new StringBuilder(records.size() + " checks:");
        tally.forEach((v, n) -> sb.append(' ').append(n).append(' ').append(v.json()).append(','));
        sb.setLength(sb.length() - (tally.isEmpty() ? 0 : 1));
        out.println(sb);
        for (CheckRecord r : records) {
            if (!r.verdict().passing()) {
                out.println("FAILED: " + r.bug() + " " + r.variant() + " on " + r.database() + ": expected "
                        + (r.expect().json().equals("reproduce") ? "reproduced" : "held") + ", was "
                        + r.verdict().json() + " — " + r.summary());
            }
        }
    }

    private static String truncate(String s) {
        return s.length() <= SUMMARY_WIDTH ? s : s.substring(0, SUMMARY_WIDTH - 1) + "…";
    }
}
