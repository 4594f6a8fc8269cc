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
        "obligation", "operations", "durationMillis", "startedAt", "java", "metrics", "evidence"})
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
        Map<String, Object> metrics,
        Map<String, Object> evidence) {

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
