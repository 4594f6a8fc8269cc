package io.stresslab.reports;

import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutation suite's records (variants {@code mutant:<Class>} and {@code alternative:<Class>}), read per bug: a
 * mutant is caught when any of its checks reproduced (it stops at the first), so its earlier not-reproduced records
 * are no failure; a mutant none of whose checks reproduced survived, which fails the build like a reproduction that
 * stopped reproducing. An alternative (a correct implementation that differs from ours) must hold every check.
 */
public final class Mutations {
    /** One bug's suite: mutants caught of mutants run, alternatives that held of alternatives run. */
    public record Tally(int caught, int mutants, int heldAlternatives, int alternatives, List<String> survivors,
                        Map<String, String> caughtBy) {
        public boolean empty() {
            return mutants == 0 && alternatives == 0;
        }

        public boolean passing() {
            return caught == mutants && heldAlternatives == alternatives;
        }

        public String text() {
            String m = mutants == 0 ? "" : "caught " + caught + "/" + mutants;
            String a = alternatives == 0 ? "" : "alternatives held " + heldAlternatives + "/" + alternatives;
            return m.isEmpty() ? a : a.isEmpty() ? m : m + ", " + a;
        }
    }

    private Mutations() {
    }

    public static boolean isSuite(CheckRecord r) {
        String v = String.valueOf(r.variant());
        return v.startsWith(CheckSpec.MUTANT_PREFIX) || v.startsWith(CheckSpec.ALTERNATIVE_PREFIX);
    }

    /** The suite of {@code bug} in {@code records}. */
    public static Tally of(String bug, List<CheckRecord> records) {
        Map<String, List<CheckRecord>> mutants = new LinkedHashMap<>();
        Map<String, List<CheckRecord>> alternatives = new LinkedHashMap<>();
        for (CheckRecord r : records) {
            if (!bug.equalsIgnoreCase(String.valueOf(r.bug())) || !isSuite(r)) {
                continue;
            }
            (r.variant().startsWith(CheckSpec.MUTANT_PREFIX) ? mutants : alternatives)
                    .computeIfAbsent(r.variant(), k -> new ArrayList<>()).add(r);
        }
        List<String> survivors = new ArrayList<>();
        Map<String, String> caughtBy = new LinkedHashMap<>();
        for (Map.Entry<String, List<CheckRecord>> e : mutants.entrySet()) {
            e.getValue().stream().filter(r -> r.verdict() == Verdict.REPRODUCED).findFirst().ifPresentOrElse(
                    r -> caughtBy.put(e.getKey(), r.tool().json() + "/" + r.check()), () -> survivors.add(e.getKey()));
        }
        int held = (int) alternatives.values().stream()
                .filter(rs -> rs.stream().allMatch(r -> r.verdict() != null && r.verdict().passing())).count();
        return new Tally(caughtBy.size(), mutants.size(), held, alternatives.size(), survivors, caughtBy);
    }

    /**
     * The suite's failures as records: the last record of each surviving mutant and every failing record of an
     * alternative.
     */
    public static List<CheckRecord> failures(List<CheckRecord> records) {
        List<CheckRecord> out = new ArrayList<>();
        Map<String, List<CheckRecord>> byMutant = new LinkedHashMap<>();
        for (CheckRecord r : records) {
            if (!isSuite(r)) {
                continue;
            }
            if (r.variant().startsWith(CheckSpec.MUTANT_PREFIX)) {
                byMutant.computeIfAbsent(r.bug() + " " + r.variant(), k -> new ArrayList<>()).add(r);
            } else if (r.verdict() != Verdict.SKIPPED && (r.verdict() == null || !r.verdict().passing())) {
                out.add(r);
            }
        }
        byMutant.values().stream().filter(rs -> rs.stream().noneMatch(r -> r.verdict() == Verdict.REPRODUCED))
                .forEach(rs -> out.add(rs.get(rs.size() - 1)));
        return out;
    }
}
