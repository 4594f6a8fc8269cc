package io.stresslab.stress.campaign;

import io.stresslab.core.db.DbConfig;
import io.stresslab.core.db.DbKind;
import io.stresslab.stress.history.LiveJudge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
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
 * @param schedule   the nemesis schedule: every timed fault, which worker, when, for how long (drawn from
 *                   {@code faults} and the seed unless given with {@link Builder#schedule})
 */
public record CampaignSpec(String name, Class<? extends Workload> workload, int workers, int threadsPerWorker,
                           long seed, DbConfig database, Duration duration, long opBudget, Faults faults,
                           Duration deadline, Duration barrierDeadline, Path workDir, Map<String, String> params,
                           List<String> jvmArgs, List<Nemesis> schedule, Live live) {

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
     * Faults to inject, each optional; {@link Builder#build} draws the {@link Nemesis} schedule from them and the seed.
     *
     * @param killWorkers         how many workers get {@code kill -9} (distinct, seeded), each at a seeded time
     *                            between {@code killFrom} and {@code killTo} (fractions of the duration) after the go
     * @param pgTerminations      how many times {@code pg_terminate_backend} hits the sessions of one seeded worker
     *                            (PostgreSQL only), spread over the duration
     * @param transientFaultRate  fraction of commit attempts failed with SQLSTATE 40001/40P01 in every worker
     * @param pauses              how many {@code SIGSTOP}s of {@code pauseMillis} each hit a seeded surviving worker
     * @param netFreezes          how many times a seeded surviving worker's database connections freeze for
     *                            {@code freezeMillis} (PostgreSQL only)
     * @param netLatencies        how many times its database connections slow down for {@code latencyForMillis},
     *                            every byte waiting {@code latencyMillis} each way (PostgreSQL only)
     * @param latencyForMillis    how long a latency lasts
     * @param latencyMillis       the latency added each way
     * @param netResets           how many times its connections are reset (PostgreSQL only)
     * @param netCutCommits       how many times the reply to one of its committed writes is cut (PostgreSQL only)
     * @param clockSkewMillis     a seeded surviving worker's application clock runs this far ahead (negative:
     *                            behind); 0 for agreeing clocks
     */
    public record Faults(int killWorkers, double killFrom, double killTo, int pgTerminations,
                         double transientFaultRate, int pauses, long pauseMillis, int netFreezes, long freezeMillis,
                         int netLatencies, long latencyForMillis, long latencyMillis, int netResets,
                         int netCutCommits, long clockSkewMillis) {
        public static final Faults NONE = new Faults(0, 0.2, 0.7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        public Faults {
            if (killWorkers < 0 || pgTerminations < 0 || transientFaultRate < 0 || transientFaultRate >= 1
                    || killFrom < 0 || killTo < killFrom || killTo > 1 || pauses < 0 || pauseMillis < 0
                    || netFreezes < 0 || freezeMillis < 0 || netLatencies < 0 || latencyForMillis < 0
                    || latencyMillis < 0 || netResets < 0 || netCutCommits < 0) {
                throw new IllegalArgumentException("bad fault settings: " + killWorkers + " kills in [" + killFrom
                        + ", " + killTo + "], " + pgTerminations + " terminations, transient rate "
                        + transientFaultRate + ", " + pauses + " pauses of " + pauseMillis + " ms, " + netFreezes
                        + " freezes of " + freezeMillis + " ms, " + netLatencies + " latencies of " + latencyMillis
                        + " ms for " + latencyForMillis + " ms, " + netResets + " resets, " + netCutCommits
                        + " commit cuts");
            }
        }

        /** Whether any fault goes through a worker's network proxy. */
        public boolean network() {
            return netFreezes + netLatencies + netResets + netCutCommits > 0;
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
        boolean postgres = database != null && database.kind() == DbKind.POSTGRESQL;
        if (!postgres && schedule.stream().anyMatch(f -> f.kind() == Nemesis.Kind.PG_TERMINATE
                || f.kind().network())) {
            throw new IllegalArgumentException("pg_terminate_backend and network faults need a PostgreSQL database");
        }
        if (schedule.stream().anyMatch(f -> f.worker() >= workers)) {
            throw new IllegalArgumentException("the nemesis schedule names a worker beyond " + (workers - 1));
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
        schedule = List.copyOf(schedule);
        live = live == null ? Live.NONE : live;
    }

    /** The application clock offset of worker {@code w}: its {@link Nemesis.Kind#CLOCK_SKEW} entry, else 0. */
    public long clockSkewMillis(int w) {
        return schedule.stream().filter(f -> f.kind() == Nemesis.Kind.CLOCK_SKEW && f.worker() == w)
                .mapToLong(Nemesis::forMillis).sum();
    }

    /** The parameter naming the variant under test. */
    public static final String VARIANT = "variant";
    /** What a net-latency adds each way unless the run or a scenario ({@link Builder#fitToLease}) sets it. */
    public static final Duration DEFAULT_LATENCY = Duration.ofMillis(50);

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
        private int pauses;
        private Duration pauseFor;
        private int freezes;
        private Duration freezeFor;
        private int latencies;
        private Duration latencyFor;
        private Duration latency;
        private int resets;
        private int cutCommits;
        private Duration clockSkew = Duration.ZERO;
        private List<Nemesis> schedule;
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

        /**
         * {@code SIGSTOP} of one seeded surviving worker, {@code n} times, each for {@code d} (then {@code SIGCONT}).
         */
        public Builder pause(int n, Duration d) {
            pauses = n;
            pauseFor = d;
            return this;
        }

        /** Freezes one seeded surviving worker's database connections {@code n} times, each for {@code d}. */
        public Builder netFreeze(int n, Duration d) {
            freezes = n;
            freezeFor = d;
            return this;
        }

        /**
         * Slows one seeded surviving worker's database connections {@code n} times, each for {@code d}: every byte
         * waits {@code delay} each way (a round trip gains twice that).
         */
        public Builder netLatency(int n, Duration delay, Duration d) {
            latencies = n;
            latency = delay;
            latencyFor = d;
            return this;
        }

        /** Resets one seeded surviving worker's database connections {@code n} times. */
        public Builder netReset(int n) {
            resets = n;
            return this;
        }

        /** Cuts the reply to one committed write of a seeded surviving worker, {@code n} times. */
        public Builder netCutCommit(int n) {
            cutCommits = n;
            return this;
        }

        /** One seeded surviving worker's application clock runs {@code offset} ahead (negative: behind). */
        public Builder clockSkew(Duration offset) {
            clockSkew = offset;
            return this;
        }

        /** Whether a pause / a freeze was asked for (a scenario may then fit its length to its lease). */
        public boolean pauses() {
            return pauses > 0;
        }

        public boolean freezes() {
            return freezes > 0;
        }

        public boolean slowsNetwork() {
            return latencies > 0;
        }

        public boolean skewsClock() {
            return !clockSkew.isZero();
        }

        /**
         * Whether an owner may stall mid-run and wake past its lease: a pause or a freeze was asked for, or a latency
         * (which {@link #fitToLease} makes a third of the lease each way).
         */
        public boolean ownersStall() {
            return pauses() || freezes() || slowsNetwork();
        }

        /**
         * Fits the pause, the freeze, the latency and the clock skew the run asked for (by default a third of the
         * run) to a lease design: each lasts, or runs ahead by, two leases — past the lease, and not a third of a long
         * run; a latency adds a third of the lease each way, so that two round trips outlast the lease.
         */
        public Builder fitToLease(Duration lease) {
            Duration twoLeases = lease.multipliedBy(2);
            if (pauses()) {
                pause(pauses, twoLeases);
            }
            if (freezes()) {
                netFreeze(freezes, twoLeases);
            }
            if (slowsNetwork()) {
                netLatency(latencies, lease.dividedBy(3), twoLeases);
            }
            if (skewsClock()) {
                clockSkew(twoLeases);
            }
            return this;
        }

        /** An explicit nemesis schedule, used instead of one drawn from the faults and the seed. */
        public Builder schedule(List<Nemesis> explicit) {
            schedule = explicit;
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
            long d = duration.toMillis();
            Faults f = new Faults(kills, killFrom, killTo, terminations, transientRate, pauses,
                    pauseFor == null ? d * 3 / 10 : pauseFor.toMillis(), freezes,
                    freezeFor == null ? d * 3 / 10 : freezeFor.toMillis(), latencies,
                    latencyFor == null ? d * 3 / 10 : latencyFor.toMillis(),
                    (latency == null ? DEFAULT_LATENCY : latency).toMillis(),
                    resets, cutCommits, clockSkew.toMillis());
            if (f.killWorkers() > workers) {
                throw new IllegalArgumentException("cannot kill " + f.killWorkers() + " of " + workers + " workers");
            }
            return new CampaignSpec(name, workload, workers, threads, seed, database, duration, opBudget, f, dl,
                    barrierDeadline, workDir, params, jvmArgs, schedule != null ? schedule : draw(f, d),
                    new Live(liveJudge, streaming && liveJudge != null));
        }

        /**
         * The seeded schedule: kills hit distinct seeded workers at seeded times in their window; every other fault
         * hits the first worker not killed (a survivor, so its late actions are seen), pauses and freezes so that they
         * end before 85 % of the run where they fit, the rest spread over the middle of the run.
         */
        private List<Nemesis> draw(Faults f, long d) {
            SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
            List<Integer> order = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                order.add(w);
            }
            for (int i = order.size() - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                order.set(i, order.set(j, order.get(i)));
            }
            List<Nemesis> plan = new ArrayList<>();
            for (int k = 0; k < Math.min(f.killWorkers(), workers); k++) {
                double at = f.killFrom() + rnd.nextDouble() * (f.killTo() - f.killFrom());
                plan.add(new Nemesis(Nemesis.Kind.KILL, order.get(k), (long) (at * d), 0));
            }
            int victim = order.get(Math.min(f.killWorkers(), workers - 1));
            for (int k = 1; k <= f.pgTerminations(); k++) {
                double at = (k + (rnd.nextDouble() - 0.5) * 0.5) / (f.pgTerminations() + 1);
                plan.add(new Nemesis(Nemesis.Kind.PG_TERMINATE, victim, (long) (at * d), 0));
            }
            spread(plan, Nemesis.Kind.PAUSE, f.pauses(), f.pauseMillis(), victim, d, rnd);
            spread(plan, Nemesis.Kind.NET_FREEZE, f.netFreezes(), f.freezeMillis(), victim, d, rnd);
            spread(plan, Nemesis.Kind.NET_LATENCY, f.netLatencies(), f.latencyForMillis(), victim, d, rnd);
            spread(plan, Nemesis.Kind.NET_RESET, f.netResets(), 0, victim, d, rnd);
            spread(plan, Nemesis.Kind.NET_CUT_COMMIT, f.netCutCommits(), 0, victim, d, rnd);
            if (f.clockSkewMillis() != 0) {
                plan.add(new Nemesis(Nemesis.Kind.CLOCK_SKEW, victim, 0, f.clockSkewMillis()));
            }
            plan.sort(Comparator.comparingLong(Nemesis::atMillis));
            return plan;
        }

        /** {@code n} entries in turn, each starting in its own slice of [15 %, 85 % − length] of the run. */
        private static void spread(List<Nemesis> plan, Nemesis.Kind kind, int n, long length, int worker, long d,
                                   SplittableRandom rnd) {
            long from = d * 15 / 100;
            long to = Math.max(from + 1, d * 85 / 100 - length * n);
            long slice = Math.max(1, (to - from) / Math.max(1, n));
            for (int k = 0; k < n; k++) {
                long at = from + k * (slice + length) + rnd.nextLong(slice);
                plan.add(new Nemesis(kind, worker, at, length));
            }
        }
    }
}
