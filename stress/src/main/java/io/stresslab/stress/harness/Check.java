package io.stresslab.stress.harness;

/**
 * A check in three parts: a {@link Workload} runs the implementation and collects what it observed, a {@link Judge}
 * turns that into {@link Findings} (the invariants, the same for every variant), and a {@link Description} turns
 * both into the record's summary, evidence and metrics. Nothing here sees the check's expected verdict: the
 * {@link CheckRunner} maps "observed / not observed" to one.
 *
 * @param <T> what the workload observed
 */
public record Check<T>(Workload<T> workload, Judge<T> judge, Description<T> description)
        implements CheckSpec.CheckBody {

    /** What runs: threads, worker JVMs, faults. Returns what it saw. */
    @FunctionalInterface
    public interface Workload<T> {
        T run(CheckContext ctx) throws Exception;
    }

    /** The invariants over what was observed. */
    @FunctionalInterface
    public interface Judge<T> {
        Findings judge(T observed);
    }

    /** Findings (and what was observed) to the record's summary, evidence and metrics. */
    @FunctionalInterface
    public interface Description<T> {
        Observation describe(T observed, Findings findings);
    }

    public static <T> Check<T> of(Workload<T> workload, Judge<T> judge, Description<T> description) {
        return new Check<>(workload, judge, description);
    }

    @Override
    public Observation run(CheckContext ctx) throws Exception {
        T observed = workload.run(ctx);
        return description.describe(observed, judge.judge(observed));
    }
}
