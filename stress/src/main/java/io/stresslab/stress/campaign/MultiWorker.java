package io.stresslab.stress.campaign;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Observation;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The one multi-worker runner: a check names its {@link Workload} (what each worker JVM runs), prepares the shared
 * database and the campaign's parameters, and judges the finished campaign; this class does the rest — a fresh
 * database the workers can reach, the run's worker count, duration and faults ({@link Campaign#builderFor}), the run,
 * refusing a campaign whose workers failed for reasons other than the faults, and the campaign's own metrics in the
 * observation.
 */
public final class MultiWorker {
    private MultiWorker() {
    }

    /** Prepares the shared database and the spec; may return something to close after the run (a sampler), or null. */
    @FunctionalInterface
    public interface Setup {
        AutoCloseable prepare(Database db, CampaignSpec.Builder spec) throws Exception;
    }

    /** Judges the finished campaign against the shared database, to an observation. */
    @FunctionalInterface
    public interface Verdict {
        Observation judge(Database db, CampaignResult result) throws Exception;
    }

    /**
     * Runs {@code workload} on the run's worker JVMs, {@code threads} threads each, for {@code duration} (scaled by the
     * run's effort unless the run fixes a duration), under the check's name {@code label}.
     */
    public static Observation run(CheckContext ctx, String label, Class<? extends Workload> workload, int threads,
                                  Duration duration, Setup setup, Verdict verdict) throws Exception {
        String kebab = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        // a campaign name has at most 61 characters: a long user class name keeps its end, the part that differs
        String name = kebab.length() <= 61 ? kebab
                : (kebab.substring(0, 12) + "-" + kebab.substring(kebab.length() - 48)).replaceAll("-+", "-");
        DbConfig cfg = Campaign.sharedConfig(ctx, name.replace('-', '_'));
        try (Database db = Database.open(cfg)) {
            CampaignSpec.Builder b = Campaign.builderFor(ctx, name, workload, cfg, duration).threadsPerWorker(threads);
            CampaignResult r;
            CampaignSpec spec;
            try (AutoCloseable during = setup.prepare(db, b)) {
                spec = b.build();
                r = Campaign.run(spec);
            }
            if (!r.allWorkersHealthy()) {
                throw new IllegalStateException("campaign workers failed: " + String.join("; ", r.unhealthyWorkers()));
            }
            return r.addTo(verdict.judge(db, r)).evidence("nemesis", spec.schedule().isEmpty()
                    ? List.of("no timed fault") : spec.schedule().stream().map(Nemesis::describe).toList());
        }
    }
}
