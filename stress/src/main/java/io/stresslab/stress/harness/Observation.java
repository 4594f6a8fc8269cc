package io.stresslab.stress.harness;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one check saw: whether the bug was observed, how much work it did, a one-line summary, and the evidence
 * (traces, thread dumps, offending rows; never a secret) and metrics (latency distributions, counts) that go into the
 * record. The {@link CheckRunner} turns it into a verdict against the check's {@link Expect}.
 */
public final class Observation {
    private final boolean bugObserved;
    private String notApplicable;
    private long operations;
    private String summary = "";
    private final Map<String, Object> evidence = new LinkedHashMap<>();
    private final Map<String, Object> metrics = new LinkedHashMap<>();

    private Observation(boolean bugObserved) {
        this.bugObserved = bugObserved;
    }

    /** The bug was seen (a forbidden outcome, a duplicate row, a hang, a Lincheck failure…). */
    public static Observation bugObserved(String summary) {
        return new Observation(true).summary(summary);
    }

    /** The bug was not seen over the work done. */
    public static Observation bugAbsent(String summary) {
        return new Observation(false).summary(summary);
    }

    public static Observation of(boolean observed, String summary) {
        return new Observation(observed).summary(summary);
    }

    /**
     * The check cannot apply to this implementation here (an engine it does not support, a tool that cannot drive
     * it); the reason is recorded and the verdict is {@code skipped}.
     */
    public static Observation notApplicable(String reason) {
        Observation o = new Observation(false).summary(reason);
        o.notApplicable = reason;
        return o;
    }

    /** The reason this check did not apply, or null. */
    public String notApplicableReason() {
        return notApplicable;
    }

    public Observation summary(String s) {
        this.summary = s == null ? "" : s;
        return this;
    }

    public Observation operations(long ops) {
        this.operations = ops;
        return this;
    }

    public Observation evidence(String key, Object value) {
        evidence.put(key, value);
        return this;
    }

    public Observation metric(String key, Object value) {
        metrics.put(key, value);
        return this;
    }

    public boolean isBugObserved() {
        return bugObserved;
    }

    public long operations() {
        return operations;
    }

    public String summary() {
        return summary;
    }

    public Map<String, Object> evidence() {
        return evidence;
    }

    public Map<String, Object> metrics() {
        return metrics;
    }
}
