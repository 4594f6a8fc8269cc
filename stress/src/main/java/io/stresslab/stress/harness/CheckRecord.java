package io.stresslab.stress.harness;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One result record: one check of one variant of one bug on one database. Written as JSON to
 * {@code stress/target/stresslab-results/} by the build and to {@code <out>/records/} by {@code stresslab run};
 * the report reads them back. The format is documented in README ("Result records"); {@code schema} names its version.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schema", "bug", "variant", "expect", "database", "tool", "check", "verdict", "summary",
        "obligation", "operations", "durationMillis", "startedAt", "java", "repeat", "metrics", "evidence"})
public record CheckRecord(
        String schema,
        String bug,
        String variant,
        Expect expect,
        String database,
        Tool tool,
        String check,
        Verdict verdict,
        String summary,
        String obligation,
        long operations,
        long durationMillis,
        String startedAt,
        String java,
        Repeat repeat,
        Map<String, Object> metrics,
        Map<String, Object> evidence) {

    /** A record of a check run once (no {@code repeat} block). */
    public CheckRecord(String schema, String bug, String variant, Expect expect, String database, Tool tool,
                       String check, Verdict verdict, String summary, long operations, long durationMillis,
                       String startedAt, String java, Map<String, Object> metrics, Map<String, Object> evidence) {
        this(schema, bug, variant, expect, database, tool, check, verdict, summary, null, operations,
                durationMillis, startedAt, java, null, metrics, evidence);
    }

    /** A record of a check run once that names the obligation it tests. */
    public CheckRecord(String schema, String bug, String variant, Expect expect, String database, Tool tool,
                       String check, Verdict verdict, String summary, String obligation, long operations,
                       long durationMillis, String startedAt, String java, Map<String, Object> metrics,
                       Map<String, Object> evidence) {
        this(schema, bug, variant, expect, database, tool, check, verdict, summary, obligation, operations,
                durationMillis, startedAt, java, null, metrics, evidence);
    }

    /**
     * What {@code --repeat N} adds to the one record of a check run N times: how many runs there were, in how many
     * the bug was observed, the time to detection (wall time of a run until its verdict) of the runs that observed it,
     * and for every run its wall time and operations. {@code operations} and {@code durationMillis} of the record are
     * then the totals over the runs; its summary, metrics and evidence are those of the first run that observed the bug
     * (or of the last run if none did).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"runs", "detected", "errors", "timeToDetectionMillis", "runMillis", "runOperations"})
    public record Repeat(int runs, int detected, int errors, Distribution timeToDetectionMillis,
                         java.util.List<Long> runMillis, java.util.List<Long> runOperations) {
        /** A reproduction that observed its bug in some runs but not all. */
        public boolean flaky() {
            return detected > 0 && detected < runs;
        }

        /** {@code k/N}. */
        public String rate() {
            return detected + "/" + runs;
        }
    }

    /** p50, p90 and max of a set of durations (nearest-rank), in milliseconds. */
    @JsonPropertyOrder({"p50", "p90", "max"})
    public record Distribution(long p50, long p90, long max) {
        public static Distribution of(java.util.List<Long> values) {
            if (values.isEmpty()) {
                return null;
            }
            long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Distribution(rank(v, 0.5), rank(v, 0.9), v[v.length - 1]);
        }

        private static long rank(long[] sorted, double q) {
            return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
        }
    }

    public static final String SCHEMA = "stresslab.record/1";

    /** A stable file name for this record: one file per (bug, variant, database, tool, check). */
    public String fileName() {
        return (bug + "__" + variant + "__" + database + "__" + tool.json() + "__" + check)
                .replaceAll("[^A-Za-z0-9_.-]", "_") + ".json";
    }

    /** One line for logs and tables. */
    public String line() {
        return String.format("%-10s %-28s %-10s %-12s %-26s %-14s %s", bug, variant, database, tool.json(), check,
                verdict.json(), summary);
    }
}
