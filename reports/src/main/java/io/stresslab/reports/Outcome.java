package io.stresslab.reports;

import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * The overall outcome of a set of records: counts, the one-sentence header verdict, and the failures the build gate
 * reports (any not-reproduced, violated or error record; for the mutation suite, a surviving mutant or a violated
 * alternative — see {@link Mutations}).
 */
public record Outcome(int records, int reproductions, int reproduced, int fixes, int held, int skipped, int errors,
                      List<CheckRecord> failures) {

    /** The state the header shows. */
    public enum State { PASS, FAIL, EMPTY }

    public static Outcome of(List<CheckRecord> records) {
        int reproductions = 0;
        int reproduced = 0;
        int fixes = 0;
        int held = 0;
        int skipped = 0;
        int errors = 0;
        List<CheckRecord> failures = new ArrayList<>();
        for (CheckRecord r : records) {
            if (Mutations.isSuite(r)) {
                continue; // judged per mutant below
            }
            Verdict v = r.verdict();
            if (v == Verdict.SKIPPED) {
                skipped++;
                continue;
            }
            if (v == null || !v.passing()) {
                failures.add(r);
            }
            if (v == Verdict.ERROR || v == null) {
                errors++;
            } else if (r.expect() == Expect.REPRODUCE) {
                reproductions++;
                reproduced += v == Verdict.REPRODUCED ? 1 : 0;
            } else if (r.expect() == Expect.HOLD) {
                fixes++;
                held += v == Verdict.HELD ? 1 : 0;
            }
        }
        failures.addAll(Mutations.failures(records));
        return new Outcome(records.size(), reproductions, reproduced, fixes, held, skipped, errors,
                List.copyOf(failures));
    }

    public State state() {
        if (!failures.isEmpty()) {
            return State.FAIL;
        }
        return records - skipped == 0 ? State.EMPTY : State.PASS;
    }

    /** The header verdict in words, e.g. "All 18 reproductions reproduced, all 20 fixes held". */
    public String headline() {
        if (records == 0) {
            return "No stress results: the stress checks did not run (skipped), so nothing was verified";
        }
        if (records == skipped) {
            return "All " + records + " checks were skipped: nothing was verified";
        }
        List<String> parts = new ArrayList<>();
        if (state() == State.PASS) {
            parts.add(reproductions == 0 ? "no reproductions ran" : "All " + plural(reproductions, "reproduction")
                    + " reproduced");
            parts.add(fixes == 0 ? "no fix checks ran" : "all " + plural(fixes, "fix", "fixes") + " held");
        } else {
            int missed = reproductions - reproduced;
            int violated = fixes - held;
            parts.add(missed == 0 ? "all " + plural(reproductions, "reproduction") + " reproduced"
                    : missed + " of " + plural(reproductions, "reproduction") + " did NOT reproduce");
            parts.add(violated == 0 ? "all " + plural(fixes, "fix", "fixes") + " held"
                    : violated + " of " + plural(fixes, "fix", "fixes") + " VIOLATED");
            if (errors > 0) {
                parts.add(plural(errors, "check") + " errored");
            }
            parts.set(0, Character.toUpperCase(parts.get(0).charAt(0)) + parts.get(0).substring(1));
        }
        String s = String.join(", ", parts);
        return skipped == 0 ? s : s + "; " + plural(skipped, "check") + " skipped";
    }

    /**
     * One line per reproduction run under {@code --repeat N} that caught its bug in fewer than N runs ("KAGENT-1
     * shared-lock-across-io on h2: flaky, reproduced in 17/20 runs (liveness/agent-latency-200ms)").
     */
    public static List<String> flakyLines(List<CheckRecord> records) {
        return records.stream().filter(Matrix::flaky).map(r -> r.bug() + " " + r.variant()
                + (r.database() == null || r.database().equals("none") ? "" : " on " + r.database())
                + ": flaky, reproduced in " + r.repeat().rate() + " runs (" + (r.tool() == null ? "?"
                : r.tool().json()) + "/" + r.check() + ")").toList();
    }

    /** One line per failure for the build log. */
    public List<String> failureLines() {
        return failures.stream().map(Outcome::failureLine).toList();
    }

    /**
     * "KAGENT-2 transactional-delete-insert on postgresql: expected reproduced, was not-reproduced — summary
     * (database/check-name)".
     */
    public static String failureLine(CheckRecord r) {
        String expected = r.expect() == Expect.HOLD ? "held" : r.expect() == Expect.REPRODUCE ? "reproduced" : "?";
        String where = r.database() == null || r.database().equals("none") ? "" : " on " + r.database();
        return r.bug() + " " + r.variant() + where + ": expected " + expected + ", was "
                + (r.verdict() == null ? "no verdict" : r.verdict().json()) + " — " + oneLine(r.summary()) + " ("
                + (r.tool() == null ? "?" : r.tool().json()) + "/" + r.check() + ")";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    private static String plural(int n, String word) {
        return plural(n, word, word + "s");
    }

    private static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
