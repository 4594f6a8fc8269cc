package io.stresslab.reports;

import io.stresslab.core.Catalogue;

import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.Tool;
import io.stresslab.stress.harness.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The detection matrix: one row per bug (catalogue order, then any unknown ids), one column per kind of check, and in
 * each cell what the before variants showed (caught?) and what the after variants showed (held?).
 */
public final class Matrix {
    /** The columns. Database checks split by database; the other kinds span databases. */
    public enum Column {
        JCSTRESS("jcstress", r -> r.tool() == Tool.JCSTRESS),
        LINCHECK("lincheck", r -> r.tool() == Tool.LINCHECK),
        LIVENESS("liveness", r -> r.tool() == Tool.LIVENESS),
        THREADS("threads", r -> r.tool() == Tool.THREADS),
        DATABASE_H2("database h2", r -> r.tool() == Tool.DATABASE && "h2".equals(r.database())),
        DATABASE_POSTGRESQL("database postgresql",
                r -> r.tool() == Tool.DATABASE && !"h2".equals(r.database())),
        MULTI_WORKER("multi-worker", r -> r.tool() == Tool.MULTI_WORKER);

        private final String label;
        private final Predicate<CheckRecord> matches;

        Column(String label, Predicate<CheckRecord> matches) {
            this.label = label;
            this.matches = matches;
        }

        public String label() {
            return label;
        }
    }

    /** What one side (before or after) of one cell shows. */
    public enum State { NONE, PASS, FAIL, ERROR, SKIPPED }

    /**
     * One side of a cell: its state, a word ("caught", "held", "MISSED", "VIOLATED"…) and counts; for a reproduction
     * run under {@code --repeat}, its detection rate and median time to detection ({@code detection}, e.g.
     * "20/20 · p50 41 ms") and whether it is flaky (caught in some runs but not all).
     */
    public record Side(State state, String text, int passing, int ran, String detection, boolean flaky) {
        Side(State state, String text, int passing, int ran) {
            this(state, text, passing, ran, null, false);
        }

        static Side of(List<CheckRecord> records, Expect expect) {
            List<CheckRecord> mine = records.stream().filter(r -> r.expect() == expect).toList();
            if (mine.isEmpty()) {
                return new Side(State.NONE, "—", 0, 0);
            }
            List<CheckRecord> ran = mine.stream().filter(r -> r.verdict() != Verdict.SKIPPED).toList();
            int passing = (int) ran.stream().filter(r -> r.verdict() != null && r.verdict().passing()).count();
            String pass = expect == Expect.REPRODUCE ? "caught" : "held";
            String fail = expect == Expect.REPRODUCE ? "MISSED" : "VIOLATED";
            String counts = ran.size() > 1 ? " " + passing + "/" + ran.size() : "";
            if (ran.isEmpty()) {
                return new Side(State.SKIPPED, "skipped", 0, 0);
            }
            if (ran.stream().anyMatch(r -> r.verdict() == Verdict.ERROR || r.verdict() == null)) {
                return new Side(State.ERROR, "ERROR" + counts, passing, ran.size());
            }
            String detection = expect == Expect.REPRODUCE ? detection(ran) : null;
            boolean flaky = expect == Expect.REPRODUCE && ran.stream().anyMatch(Matrix::flaky);
            if (passing < ran.size()) {
                return new Side(State.FAIL, fail + counts, passing, ran.size(), detection, flaky);
            }
            return new Side(State.PASS, (flaky ? "FLAKY" : pass) + counts, passing, ran.size(), detection, flaky);
        }

        /** "k/N · p50 T ms" over the repeated records (the lowest rate, the highest median), or null. */
        private static String detection(List<CheckRecord> ran) {
            List<CheckRecord.Repeat> reps = ran.stream().map(CheckRecord::repeat).filter(r -> r != null).toList();
            if (reps.isEmpty()) {
                return null;
            }
            CheckRecord.Repeat worst = reps.stream()
                    .min(java.util.Comparator.comparingDouble(r -> r.detected() / (double) Math.max(1, r.runs())))
                    .orElseThrow();
            long p50 = reps.stream().filter(r -> r.timeToDetectionMillis() != null)
                    .mapToLong(r -> r.timeToDetectionMillis().p50()).max().orElse(-1);
            return worst.rate() + (p50 < 0 ? "" : " · p50 " + Format.millis(p50));
        }
    }

    /** One cell: before and after. */
    public record Cell(Side before, Side after) {
        public boolean empty() {
            return before.state() == State.NONE && after.state() == State.NONE;
        }
    }

    /** One row: a bug and its cells by column. */
    public record Row(String bug, String title, Map<Column, Cell> cells, Mutations.Tally mutations) {
    }

    private Matrix() {
    }

    /** A reproduction run under {@code --repeat} that caught its bug in some runs but not in all. */
    public static boolean flaky(CheckRecord r) {
        return r.expect() == Expect.REPRODUCE && r.repeat() != null && r.verdict() == Verdict.REPRODUCED
                && r.repeat().flaky();
    }

    public static List<Row> build(List<CheckRecord> records) {
        List<Row> rows = new ArrayList<>();
        for (Catalogue.Bug b : Catalogue.bugs()) {
            rows.add(row(b.id(), b.title(), records));
        }
        records.stream().map(CheckRecord::bug).distinct()
                .filter(id -> Catalogue.find(String.valueOf(id)).isEmpty())
                .forEach(id -> rows.add(row(String.valueOf(id), "(not in the catalogue)", records)));
        return rows;
    }

    private static Row row(String bug, String title, List<CheckRecord> records) {
        List<CheckRecord> mine = records.stream().filter(r -> bug.equalsIgnoreCase(String.valueOf(r.bug())))
                .filter(r -> !Mutations.isSuite(r)).toList();
        Map<Column, Cell> cells = new LinkedHashMap<>();
        for (Column c : Column.values()) {
            List<CheckRecord> in = mine.stream().filter(c.matches).toList();
            cells.put(c, new Cell(Side.of(in, Expect.REPRODUCE), Side.of(in, Expect.HOLD)));
        }
        return new Row(bug, title, cells, Mutations.of(bug, records));
    }
}
