package io.stresslab.stress.harness;

import io.stresslab.core.db.DatabaseException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one {@link CheckSpec} on one database (or none), turns its {@link Observation} into a {@link Verdict} against
 * the spec's {@link Expect}, and writes the {@link CheckRecord}. Shared by the build's tests and the command line.
 */
public final class CheckRunner {
    private final RunSettings settings;
    private final ResultsWriter writer;

    public CheckRunner(RunSettings settings) {
        this.settings = settings;
        this.writer = new ResultsWriter(settings.resultsDir());
    }

    public RunSettings settings() {
        return settings;
    }

    /** Runs the check and writes its record. {@code target} is null for in-memory checks. */
    public CheckRecord run(CheckSpec spec, DatabaseTarget target) {
        if (spec.needsDatabase() && (target == null || !spec.databases().contains(target.kind()))) {
            throw new IllegalArgumentException(spec.id() + " cannot run on " + (target == null ? "no database"
                    : target.kind().id()));
        }
        String database = target == null ? "none" : target.kind().id();
        FormationSampler.beginCheck();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        CheckRecord record;
        try {
            Observation o = spec.body().run(new CheckContext(spec, target, settings));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            record = record(spec, database, Verdict.of(spec.expect(), o.isBugObserved()), o.summary(), o.operations(),
                    millis, started, o.metrics(), o.evidence());
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("exception", stackTrace(e));
            String summary = "check failed to run: " + (e instanceof DatabaseException ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage());
            record = record(spec, database, Verdict.ERROR, summary, 0, millis, started, Map.of(), evidence);
        }
        writer.write(record);
        return record;
    }

    /** Writes a SKIPPED record, e.g. when no PostgreSQL is configured outside CI. */
    public CheckRecord skip(CheckSpec spec, String database, String reason) {
        CheckRecord record = record(spec, database, Verdict.SKIPPED, reason, 0, 0, Instant.now(), Map.of(), Map.of());
        writer.write(record);
        return record;
    }

    private static CheckRecord record(CheckSpec spec, String database, Verdict verdict, String summary, long ops,
                                      long millis, Instant started, Map<String, Object> metrics,
                                      Map<String, Object> evidence) {
        return new CheckRecord(CheckRecord.SCHEMA, spec.bug(), spec.variant(), spec.expect(), database, spec.tool(),
                spec.check(), verdict, summary, ops, millis, started.toString(), Runtime.version().toString(),
                metrics, evidence);
    }

    private static String stackTrace(Throwable e) {
        StringWriter sw = new StringWriter();
        e.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }
}
