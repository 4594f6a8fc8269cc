package io.stresslab.stress.campaign;

import io.stresslab.core.db.DbConfig;
import io.stresslab.core.db.DbKind;
import io.stresslab.stress.history.LiveJudge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One multi-process campaign: which {@link Workload} to run in how many worker JVMs (each with how many threads), for
 * how long or how many operations, against which shared database, with which faults, under which deadlines. Built
 * with {@link #builder}.
 *
 * @param seed       the run seed; worker seeds and the fault schedule derive from it, so a failing run replays
 * @param opBudget   operations per worker, 0 for no limit other than {@code duration}
 * @param deadline   overall: workers still running this long after the go are thread-dumped and killed
 * @param workDir    the campaign writes its files into a new folder under it
 * @param params     free-form scenario parameters, readable in every worker
 * @param jvmArgs    extra worker JVM options (heap, GC)
 */
public record CampaignSpec(String name, Class<? extends Workload> workload, int workers, int threadsPerWorker,
                           long seed, DbConfig database, Duration duration, long opBudget, Faults faults,
                           Duration deadline, Duration barrierDeadline, Path workDir, Map<String, String> params,
                           List<String> jvmArgs, Live live) {

    /**
     * Judging while the run goes on (both optional): {@code judge} makes a fresh {@link LiveJudge} per run, fed the
     * workers' streamed histories every ~15 ms; its first violation stops the workers at once. {@code streaming}:
     * the result skips loading and merging the whole history (bounded memory, for long soaks); the live judge is
     * then the only judge of the history, and {@link CampaignResult#history()} is empty.
     */
    public record Live(Supplier<LiveJudge> judge, boolean streaming) {
        public static final Live NONE = new Live(null, false);
    }

    /**
     * Faults to inject, each optional.
     *
     * @param killWorkers         how many workers get {@code kill -9} (distinct, seeded), each at a seeded time
     *                            between {@code killFrom} and {@code killTo} (fractions of the duration) after the go
     * @param pgTerminations      how many times {@code pg_terminate_backend} hits the sessions of one seeded worker
     *                            (PostgreSQL only), spread over the duration
     * @param transientFaultRate  fraction of commit attempts failed with SQLSTATE 40001/40P01 in every worker
     */
    public record Faults(int killWorkers, double killFrom, double killTo, int pgTerminations,
                         double transientFaultRate) {
        public static final Faults NONE = new Faults(0, 0.2, 0.7, 0, 0);

        public Faults {
            if (killWorkers < 0 || pgTerminations < 0 || transientFaultRate < 0 || transientFaultRate >= 1
                    || killFrom < 0 || killTo < killFrom || killTo > 1) {
                throw new IllegalArgumentException("bad fault settings: " + killWorkers + " kills in [" + killFrom
                        + ", " + killTo + "], " + pgTerminations + " terminations, transient rate "
                        + transientFaultRate);
            }
        }
    }

    public CampaignSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(workload, "workload");
        if (!name.matches("[a-z0-9][a-z0-9-]{0,60}")) {
            throw new IllegalArgumentException("campaign name '" + name + "' must be kebab-case");
        }
        if (workers < 1 || threadsPerWorker < 1) {
            throw new IllegalArgumentException("need at least one worker and one thread per worker");
        }
        if (faults.killWorkers() > workers) {
            throw new IllegalArgumentException("cannot kill " + faults.killWorkers() + " of " + workers + " workers");
        }
        if (faults.pgTerminations() > 0 && (database == null || database.kind() != DbKind.POSTGRESQL)) {
            throw new IllegalArgumentException("pg_terminate_backend faults need a PostgreSQL database");
        }
        if (database != null && database.jdbcUrl().startsWith("jdbc:h2:mem:")) {
            throw new IllegalArgumentException("an in-memory H2 database is invisible to worker JVMs: use "
                    + "Campaign.sharedConfig(ctx, label) or DatabaseTarget.h2Files(dir)");
        }
        if (duration.isNegative() || duration.isZero() || deadline.compareTo(duration) <= 0) {
            throw new IllegalArgumentException("duration must be positive and shorter than the deadline");
        }
        params = Map.copyOf(params);
        jvmArgs = List.copyOf(jvmArgs);
        live = live == null ? Live.NONE : live;
    }

    /** The parameter naming the variant under test. */
    public static final String VARIANT = "variant";

    public static Builder builder(String name, Class<? extends Workload> workload) {
        return new Builder(name, workload);
    }

    /** Defaults: 3 workers × 1 thread, 5 s, no op limit, no faults, deadline duration + 60 s, barrier 60 s. */
    public static final class Builder {
        private final String name;
        private final Class<? extends Workload> workload;
        private int workers = 3;
        private int threads = 1;
        private long seed = System.nanoTime();
        private DbConfig database;
        private Duration duration = Duration.ofSeconds(5);
        private long opBudget;
        private int kills;
        private double killFrom = 0.2;
        private double killTo = 0.7;
        private int terminations;
        private double transientRate;
        private Duration deadline;
        private Duration barrierDeadline = Duration.ofSeconds(60);
        private Path workDir = Path.of(System.getProperty("stresslab.work.dir", "target/stresslab-work"));
        private final Map<String, String> params = new LinkedHashMap<>();
        private List<String> jvmArgs = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        private Supplier<LiveJudge> liveJudge;
        private boolean streaming;

        private Builder(String name, Class<? extends Workload> workload) {
            this.name = name;
            this.workload = workload;
        }

        public Builder workers(int n) {
            workers = n;
            return this;
        }

        public Builder threadsPerWorker(int n) {
            threads = n;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public Builder database(DbConfig config) {
            database = config;
            return this;
        }

        public Builder duration(Duration d) {
            duration = d;
            return this;
        }

        public Builder opBudget(long opsPerWorker) {
            opBudget = opsPerWorker;
            return this;
        }

        /** {@code kill -9} of {@code n} workers at seeded times in the middle of the run (20–70 % of the duration). */
        public Builder killWorkers(int n) {
            kills = n;
            return this;
        }

        public Builder killWindow(double fromFraction, double toFraction) {
            killFrom = fromFraction;
            killTo = toFraction;
            return this;
        }

        /** {@code pg_terminate_backend} of one seeded worker's sessions, {@code n} times over the run. */
        public Builder terminateConnections(int n) {
            terminations = n;
            return this;
        }

        /** Fail this fraction of commit attempts with an injected 40001/40P01. */
        public Builder transientFaults(double rate) {
            transientRate = rate;
            return this;
        }

        public Builder deadline(Duration d) {
            deadline = d;
            return this;
        }

        public Builder barrierDeadline(Duration d) {
            barrierDeadline = d;
            return this;
        }

        public Builder workDir(Path dir) {
            workDir = dir;
            return this;
        }

        public Builder param(String key, String value) {
            params.put(key, value);
            return this;
        }

        public Builder param(String key, long value) {
            return param(key, Long.toString(value));
        }

        /** The variant under test, which every worker reads with {@link WorkerContext#variant}. */
        public Builder variant(String name) {
            return param(VARIANT, name);
        }

        /**
         * Judge the streamed histories while the run goes on: the first violation {@code judge}'s judge reports
         * stops every worker ({@link WorkerOutcome.Status#STOPPED_AT_VIOLATION}) and is recorded in the result with
         * the time from the go to its detection. Whatever the variant: a correct one simply runs its full duration.
         */
        public Builder liveJudge(Supplier<LiveJudge> judge) {
            liveJudge = judge;
            return this;
        }

        /** Skip loading and merging the whole history after the run (needs a {@link #liveJudge}). */
        public Builder streaming(boolean on) {
            streaming = on;
            return this;
        }

        public Builder jvmArgs(List<String> args) {
            jvmArgs = args;
            return this;
        }

        public CampaignSpec build() {
            Duration dl = deadline != null ? deadline : duration.plusSeconds(60);
            return new CampaignSpec(name, workload, workers, threads, seed, database, duration, opBudget,
                    new Faults(kills, killFrom, killTo, terminations, transientRate), dl, barrierDeadline, workDir,
                    params, jvmArgs, new Live(liveJudge, streaming && liveJudge != null));
        }
    }
}
