package io.stresslab.stress.harness;

import io.stresslab.core.db.DatabaseException;
import io.stresslab.core.host.CpuSteal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Runs the check and writes its record. {@code target} is null for in-memory checks. Under {@code --repeat N}
     * ({@link RunSettings#repeat}) the check runs N times, each with a fresh database (every check opens its own) and
     * its own seed ({@link RunSettings#forRepetition}), and its one record carries the {@link CheckRecord.Repeat}
     * block.
     */
    public CheckRecord run(CheckSpec spec, DatabaseTarget target) {
        if (spec.needsDatabase() && (target == null || !spec.databases().contains(target.kind()))) {
            throw new IllegalArgumentException(spec.id() + " cannot run on " + (target == null ? "no database"
                    : target.kind().id()));
        }
        CheckRecord record = settings.repeat() == 1 ? once(spec, target, settings) : repeated(spec, target);
        writer.write(record);
        return record;
    }

    private CheckRecord repeated(CheckSpec spec, DatabaseTarget target) {
        int n = settings.repeat();
        Instant started = Instant.now();
        List<Long> runMillis = new ArrayList<>();
        List<Long> runOps = new ArrayList<>();
        List<Long> ttd = new ArrayList<>();
        int detected = 0;
        int errors = 0;
        long workerStarts = 0;
        List<CheckRecord> runRecords = new ArrayList<>();
        CheckRecord firstObserved = null;
        CheckRecord firstError = null;
        CheckRecord last = null;
        for (int i = 0; i < n && !Thread.currentThread().isInterrupted(); i++) {
            CheckRecord r = once(spec, target, settings.forRepetition(i));
            if (r.verdict() == Verdict.SKIPPED) {
                return r; // the check does not apply to this subject here: repeating it changes nothing
            }
            runMillis.add(r.durationMillis());
            runOps.add(r.operations());
            workerStarts += TimeTable.workerStarts(r);
            runRecords.add(r);
            last = r;
            if (r.verdict() == Verdict.ERROR) {
                errors++;
                firstError = firstError == null ? r : firstError;
            } else if (r.verdict() == Verdict.REPRODUCED || r.verdict() == Verdict.VIOLATED) {
                detected++;
                ttd.add(r.durationMillis());
                firstObserved = firstObserved == null ? r : firstObserved;
            }
        }
        int runs = runMillis.size();
        CheckRecord shown = firstError != null ? firstError : firstObserved != null ? firstObserved : last;
        Verdict verdict = firstError != null ? Verdict.ERROR : Verdict.of(spec.expect(), detected > 0);
        CheckRecord.Repeat repeat = new CheckRecord.Repeat(runs, detected, errors,
                CheckRecord.Distribution.of(ttd), runMillis, runOps);
        long totalOps = runOps.stream().mapToLong(Long::longValue).sum();
        Map<String, Object> metrics = new LinkedHashMap<>(shown.metrics());
        if (workerStarts > 0) {
            metrics.put(TimeTable.WORKER_START_METRIC, workerStarts); // summed over the runs, for the time table
        }
        double steal = TimeTable.meanSteal(runRecords); // over all the runs, weighted by their time
        if (!Double.isNaN(steal)) {
            metrics.put(TimeTable.CPU_STEAL_METRIC, CpuSteal.rounded(steal));
        }
        long totalMillis = runMillis.stream().mapToLong(Long::longValue).sum();
        String prefix = spec.expect() == Expect.REPRODUCE
                ? "observed in " + repeat.rate() + " runs" + (ttd.isEmpty() ? ""
                        : ", time to detection p50 " + repeat.timeToDetectionMillis().p50() + " ms, max "
                        + repeat.timeToDetectionMillis().max() + " ms")
                : (detected == 0 ? "held in " + runs + "/" + runs : "violated in " + repeat.rate()) + " runs, "
                        + totalOps + " operations in all";
        if (errors > 0) {
            prefix += ", " + errors + " run(s) failed to run";
        }
        return new CheckRecord(CheckRecord.SCHEMA, spec.bug(), spec.variant(), spec.expect(), shown.database(),
                spec.tool(), spec.check(), verdict, prefix + "; " + shown.summary(), obligation(spec), totalOps,
                totalMillis, started.toString(), Runtime.version().toString(), repeat, metrics, shown.evidence());
    }

    /** One run of the check: its record, not yet written. */
    private CheckRecord once(CheckSpec spec, DatabaseTarget target, RunSettings runSettings) {
        String database = target == null ? "none" : target.kind().id();
        FormationSampler.beginCheck();
        Instant started = Instant.now();
        CpuSteal steal = CpuSteal.now();
        long t0 = System.nanoTime();
        try {
            Observation o = spec.body().run(new CheckContext(spec, target, runSettings));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            Verdict verdict = o.notApplicableReason() != null ? Verdict.SKIPPED
                    : Verdict.of(spec.expect(), o.isBugObserved());
            Map<String, Object> metrics = new LinkedHashMap<>(o.metrics());
            double stolen = CpuSteal.now().since(steal);
            if (!Double.isNaN(stolen)) {
                metrics.put(TimeTable.CPU_STEAL_METRIC, CpuSteal.rounded(stolen));
            }
            return record(spec, database, verdict, o.summary(), o.operations(),
                    millis, started, metrics, o.evidence());
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("exception", stackTrace(e));
            String summary = "check failed to run: " + (e instanceof DatabaseException ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage());
            return record(spec, database, Verdict.ERROR, summary, 0, millis, started, Map.of(), evidence);
        }
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
                spec.check(), verdict, summary, obligation(spec), ops, millis, started.toString(),
                Runtime.version().toString(), metrics, evidence);
    }

    /** The obligation the check names, or null (the record then has no such field). */
    private static String obligation(CheckSpec spec) {
        return spec.obligation().isEmpty() ? null : spec.obligation();
    }

    private static String stackTrace(Throwable e) {
        StringWriter sw = new StringWriter();
        e.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }
}
