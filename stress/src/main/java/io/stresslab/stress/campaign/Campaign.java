package io.stresslab.stress.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import io.stresslab.core.db.DbKind;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.RunSettings;
import io.stresslab.stress.harness.DatabaseTarget;
import io.stresslab.stress.history.History;
import io.stresslab.stress.history.HistoryChecker;
import io.stresslab.stress.history.HistoryClock;
import io.stresslab.stress.history.LiveFeed;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.netcrusher.core.reactor.NioReactor;

/**
 * Runs a {@link CampaignSpec}: launches its worker JVMs (plain {@link ProcessBuilder} on this JVM's {@code java} and
 * classpath, main class {@link WorkerMain}), releases them together through a loopback start barrier, injects the
 * spec's faults on a seeded schedule, waits for every worker under the deadline — a straggler gets a thread dump
 * ({@code kill -QUIT}, into its {@code worker-<n>.out}) and then {@code kill -9}; the coordinator never hangs — and
 * merges the workers' histories.
 *
 * <p>The coordinator opens the shared database itself for the whole campaign: migrations run once, before any worker
 * starts, and on H2 ({@code AUTO_SERVER=TRUE}) this JVM serves the database file to the workers, so killing a worker
 * never takes the server down. A worker killed by a fault leaves its in-flight operations without completion; the
 * merge makes them INFO.
 */
public final class Campaign {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DUMP_GRACE = Duration.ofSeconds(2);
    /** How often a live judge reads the workers' histories. */
    private static final long LIVE_POLL_NANOS = 15_000_000;

    private final CampaignSpec spec;
    private final Path dir;
    /** Tells this campaign's PostgreSQL sessions from those of any other run on the same server. */
    private final String sessionTag = Long.toHexString(System.nanoTime() & 0xffffffffL);
    private final List<Process> processes = new ArrayList<>();
    /** Written by the supervising thread and by a proxy's cut thread. */
    private final List<FaultEvent> faults = java.util.Collections.synchronizedList(new ArrayList<>());
    private AtomicLongArray exitNanos;
    private boolean[] killedByFault;
    private boolean[] timedOut;
    private boolean[] paused;
    /** One network proxy per worker when the schedule has network faults; empty otherwise. */
    private final List<NetProxy> proxies = new ArrayList<>();
    private long goNanos;
    private boolean[] stoppedAtViolation;
    private HistoryTail tail;
    private LiveFeed live;
    private boolean[] drained;
    private WorkerCds.Plan cds = WorkerCds.Plan.NONE;

    private Campaign(CampaignSpec spec) {
        this.spec = spec;
        this.dir = spec.workDir().toAbsolutePath().resolve(spec.name() + "-" + Long.toHexString(spec.seed()) + "-"
                + Long.toHexString(System.nanoTime() & 0xffffffL));
    }

    /**
     * A fresh, isolated database config for a check's campaign that worker JVMs can reach: the check's own target on
     * PostgreSQL (a new schema, dropped when the check closes its {@link Database}); on H2, a file database under the
     * run's work folder (the check's in-memory H2 is invisible to other processes), served to the workers through
     * {@code AUTO_SERVER}.
     */
    public static DbConfig sharedConfig(CheckContext ctx, String label) {
        DatabaseTarget target = ctx.target().kind() == DbKind.H2
                ? DatabaseTarget.h2Files(ctx.workDir().resolve("campaign-h2")) : ctx.target();
        return target.freshConfig(label);
    }

    /**
     * One cut COMMIT reply per this much run time, at least two and at most {@link #MAX_CUTS}: a mistake that one
     * cut write in two exposes is caught in a 3-second run with odds of 1 in 64 against missing it.
     */
    private static final long CUT_EVERY_MILLIS = 500;
    private static final int MAX_CUTS = 12;
    /** How long a net-reset waits for a statement in flight before it resets idle connections. */
    private static final Duration RESET_WITHIN = Duration.ofMillis(250);

    /**
     * A spec builder for a check's campaign, set up from the run's {@link RunSettings.Workers}: worker count, duration
     * ({@code defaultDuration} scaled by effort unless the run fixes one), op budget, and the run's faults — kill -9
     * of one worker, 5 % injected transient commit failures, one SIGSTOP of a survivor and a clock 30 % of the run
     * ahead; on PostgreSQL also one pg_terminate_backend of a worker's sessions, one connection freeze (30 % of the
     * run), 50 ms of latency each way (30 % of the run), and a reset mid-COMMIT and a cut commit reply every 500 ms of
     * run, 2 to 12 of each (the network faults go through a proxy per worker). A scenario may fit a pause, a freeze,
     * the latency or the skew to its lease in its set-up. Every multi-worker check builds its campaign here, so
     * {@code stresslab run --workers/--duration/--ops/--faults} reaches them all.
     */
    public static CampaignSpec.Builder builderFor(CheckContext ctx, String name, Class<? extends Workload> workload,
                                                  DbConfig database, Duration defaultDuration) {
        RunSettings.Workers w = ctx.settings().workers();
        Duration duration = w.duration() != null ? w.duration()
                : Duration.ofMillis(Math.round(defaultDuration.toMillis() * ctx.settings().effort()));
        CampaignSpec.Builder b = CampaignSpec.builder(name, workload)
                .workers(w.count())
                .seed(ctx.seed())
                .database(database)
                .workDir(ctx.workDir())
                .duration(duration);
        if (w.opsPerWorker() != null) {
            b.opBudget(w.opsPerWorker());
        }
        boolean postgres = database.kind() == DbKind.POSTGRESQL;
        if (w.has(RunSettings.Fault.KILL) && w.count() > 1) {
            b.killWorkers(1);
        }
        if (w.has(RunSettings.Fault.TRANSIENT)) {
            b.transientFaults(0.05);
        }
        if (w.has(RunSettings.Fault.TERMINATE) && postgres) {
            b.terminateConnections(1);
        }
        Duration longFault = Duration.ofMillis(duration.toMillis() * 3 / 10);
        if (w.has(RunSettings.Fault.PAUSE)) {
            b.pause(1, longFault);
        }
        if (w.has(RunSettings.Fault.NET_FREEZE) && postgres) {
            b.netFreeze(1, longFault);
        }
        if (w.has(RunSettings.Fault.NET_LATENCY) && postgres) {
            b.netLatency(1, CampaignSpec.DEFAULT_LATENCY, longFault);
        }
        int cuts = (int) Math.max(2, Math.min(MAX_CUTS, duration.toMillis() / CUT_EVERY_MILLIS));
        if (w.has(RunSettings.Fault.NET_RESET) && postgres) {
            b.netReset(cuts);
        }
        if (w.has(RunSettings.Fault.NET_CUT_COMMIT) && postgres) {
            b.netCutCommit(cuts);
        }
        if (w.has(RunSettings.Fault.CLOCK_SKEW)) {
            b.clockSkew(longFault);
        }
        return b;
    }

    /** Runs the campaign to completion (or to its deadline) and returns what happened. */
    public static CampaignResult run(CampaignSpec spec) {
        return new Campaign(spec).execute();
    }

    private record PlannedFault(String kind, int worker, long atNanos) {
    }

    private static final String RESUME = "resume";
    private static final String UNFREEZE = "net-unfreeze";
    private static final String LATENCY_END = "net-latency-end";

    private CampaignResult execute() {
        long launch = HistoryClock.now();
        int n = spec.workers();
        exitNanos = new AtomicLongArray(n);
        killedByFault = new boolean[n];
        timedOut = new boolean[n];
        paused = new boolean[n];
        boolean started = false;
        List<Socket> barrier = new ArrayList<>();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create campaign folder " + dir + ": " + e.getMessage(), e);
        }
        // Ctrl-C (or any exit) while workers run must not leave them behind
        Thread reaper = new Thread(() -> processes.forEach(this::killQuietly), "stresslab-campaign-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        NioReactor reactor = spec.schedule().stream().anyMatch(f -> f.kind().network()) ? NetProxy.reactor() : null;
        try (Database coordinatorDb = openShared();
             ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String classPath = WorkerCds.classPath(spec.workDir()); // class folders packed into jars, for CDS
            Path cpFile = writeClasspathArgFile(classPath);
            SplittableRandom seeds = new SplittableRandom(spec.seed());
            cds = WorkerCds.plan(WorkerCds.archive(spec.workDir(), spec.jvmArgs(), classPath), classPath);
            openProxies(reactor);
            launch = HistoryClock.now(); // worker start-up: from the first process start to the start barrier
            for (int w = 0; w < n; w++) {
                processes.add(launch(w, seeds.nextLong(), server.getLocalPort(), cpFile));
            }
            started = awaitBarrier(server, barrier);
            if (started) {
                goNanos = HistoryClock.now();
                for (Socket s : barrier) {
                    s.getOutputStream().write(WorkerMain.GO);
                    s.getOutputStream().flush();
                }
                superviseUntilDone(plan(), coordinatorDb);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("campaign " + spec.name() + ": " + e.getMessage(), e);
        } finally {
            for (int w = 0; w < processes.size(); w++) {
                if (paused[w] && processes.get(w).isAlive()) {
                    signal(processes.get(w), "CONT"); // a stopped worker still holds its sockets and files
                }
            }
            processes.forEach(this::killQuietly);
            proxies.forEach(NetProxy::close);
            if (reactor != null) {
                reactor.close();
            }
            cds.finish(n);
            for (Socket s : barrier) {
                closeQuietly(s);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs (or ran) anyway
            }
        }
        return result(launch, started);
    }

    /** Opens (and migrates) the shared database for the campaign; never drops it — the scenario owns it. */
    private Database openShared() {
        DbConfig db = spec.database();
        return db == null ? null : Database.open(db.withSchema(db.schema(), false), "stresslab-coordinator");
    }

    /** A network proxy per worker in front of the PostgreSQL server, when the schedule has network faults. */
    private void openProxies(NioReactor reactor) {
        if (reactor == null) {
            return;
        }
        for (int w = 0; w < spec.workers(); w++) {
            int worker = w;
            proxies.add(NetProxy.open(reactor, spec.database().jdbcUrl(), what -> faults.add(new FaultEvent(
                    "net-cut-commit", worker, (HistoryClock.now() - goNanos) / 1_000_000, what))));
        }
    }

    private Path writeClasspathArgFile(String cp) throws IOException {
        Path f = dir.resolve("classpath.args");
        String quoted = "\"" + cp.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        Files.writeString(f, "-cp\n" + quoted + "\n", StandardCharsets.UTF_8);
        return f;
    }

    private Process launch(int w, long seed, int port, Path cpFile) throws IOException {
        DbConfig db = spec.database();
        WorkerSpec ws = new WorkerSpec(spec.name(), spec.workload().getName(), w, spec.workers(),
                spec.threadsPerWorker(), seed, db == null ? null : proxies.isEmpty() ? db.jdbcUrl()
                : proxies.get(w).rewrite(db.jdbcUrl()), db == null ? null : db.user(),
                db == null ? null : db.schema(), applicationName(w), spec.duration().toMillis(),
                spec.opBudget(), spec.faults().transientFaultRate(), file(w, "history.jsonl").toString(),
                file(w, "metrics.json").toString(), port, spec.barrierDeadline().toMillis(), spec.params(),
                spec.clockSkewMillis(w));
        Path specFile = file(w, "spec.json");
        JSON.writeValue(specFile.toFile(), ws);
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(spec.jvmArgs());
        cmd.addAll(cds.forWorker(w)); // class-data sharing: map the workers' archive, or write it (first campaign)
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("@" + cpFile);
        cmd.add(WorkerMain.class.getName());
        cmd.add(specFile.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(file(w, "out").toFile())
                .redirectError(file(w, "err").toFile());
        if (db != null) {
            pb.environment().put(WorkerSpec.PASSWORD_ENV, db.password() == null ? "" : db.password());
        }
        Process p = pb.start();
        p.onExit().thenRun(() -> exitNanos.set(w, HistoryClock.now()));
        return p;
    }

    private Path file(int worker, String suffix) {
        return dir.resolve("worker-" + worker + "." + suffix);
    }

    /** Accepts every worker's hello within the barrier deadline; gives up early if a worker dies first. */
    private boolean awaitBarrier(ServerSocket server, List<Socket> joined) throws IOException {
        long end = HistoryClock.now() + spec.barrierDeadline().toNanos();
        server.setSoTimeout(100);
        while (joined.size() < spec.workers()) {
            if (processes.stream().anyMatch(p -> !p.isAlive()) || HistoryClock.now() - end >= 0) {
                return false;
            }
            try {
                Socket s = server.accept();
                s.setSoTimeout(5_000);
                new DataInputStream(s.getInputStream()).readInt();
                joined.add(s);
            } catch (SocketTimeoutException e) {
                // nobody knocked in this slice: look at the deadline and the processes again
            }
        }
        return true;
    }

    /**
     * The spec's nemesis schedule as instants after the go, in time order; a pause or a freeze is followed by its end
     * ({@code resume}, {@code net-unfreeze}). A clock skew is not an event: the worker starts with it.
     */
    private List<PlannedFault> plan() {
        List<PlannedFault> plan = new ArrayList<>();
        for (Nemesis f : spec.schedule()) {
            long at = goNanos + f.atMillis() * 1_000_000L;
            switch (f.kind()) {
                case CLOCK_SKEW -> faults.add(new FaultEvent(f.kind().label(), f.worker(), 0, "application clock "
                        + (f.forMillis() >= 0 ? "+" : "") + f.forMillis() + " ms off for the whole run"));
                case PAUSE -> {
                    plan.add(new PlannedFault(f.kind().label(), f.worker(), at));
                    plan.add(new PlannedFault(RESUME, f.worker(), at + f.forMillis() * 1_000_000L));
                }
                case NET_FREEZE -> {
                    plan.add(new PlannedFault(f.kind().label(), f.worker(), at));
                    plan.add(new PlannedFault(UNFREEZE, f.worker(), at + f.forMillis() * 1_000_000L));
                }
                case NET_LATENCY -> {
                    plan.add(new PlannedFault(f.kind().label(), f.worker(), at));
                    plan.add(new PlannedFault(LATENCY_END, f.worker(), at + f.forMillis() * 1_000_000L));
                }
                default -> plan.add(new PlannedFault(f.kind().label(), f.worker(), at));
            }
        }
        plan.sort(Comparator.comparingLong(PlannedFault::atNanos));
        return plan;
    }

    private void superviseUntilDone(List<PlannedFault> plan, Database db) {
        long deadline = goNanos + spec.deadline().toNanos();
        int next = 0;
        startLive();
        while (processes.stream().anyMatch(Process::isAlive)) {
            long now = HistoryClock.now();
            while (next < plan.size() && plan.get(next).atNanos() - now <= 0) {
                inject(plan.get(next++), db);
            }
            if (pollLive()) {
                stopAtViolation();
                return;
            }
            if (now - deadline >= 0) {
                killStragglers();
                pollLive();
                return;
            }
            long wake = next < plan.size() ? Math.min(plan.get(next).atNanos(), deadline) : deadline;
            long waitNanos = Math.max(1_000_000, Math.min(wake - now, live == null ? 100_000_000 : LIVE_POLL_NANOS));
            Process alive = processes.stream().filter(Process::isAlive).findFirst().orElse(null);
            if (alive != null) {
                try {
                    alive.waitFor(waitNanos, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    killStragglers();
                    return;
                }
            }
        }
        pollLive(); // every worker has ended: the rest of every file
    }

    /** The live judge's feed, when the spec has a live judge. */
    private void startLive() {
        stoppedAtViolation = new boolean[processes.size()];
        if (spec.live().judge() == null) {
            return;
        }
        List<Path> files = new ArrayList<>();
        for (int w = 0; w < processes.size(); w++) {
            files.add(file(w, "history.jsonl"));
        }
        tail = new HistoryTail(files);
        live = new LiveFeed(spec.live().judge().get());
        drained = new boolean[processes.size()];
    }

    /**
     * Feeds the live judge every new complete line of every worker file; a worker that has ended gets its file read
     * to the end and is reported ended (with its kill time if a fault killed it). True once a violation was seen.
     */
    private boolean pollLive() {
        if (live == null) {
            return false;
        }
        tail.poll(live::accept);
        for (int w = 0; w < processes.size(); w++) {
            if (!drained[w] && !processes.get(w).isAlive()) {
                drained[w] = true;
                tail.finish(w, live::accept);
                long exit = exitNanos.get(w) == 0 ? HistoryClock.now() : exitNanos.get(w); // at or after the kill
                live.workerEnded(w, killedByFault[w] ? exit : -1);
            }
        }
        return live.violation() != null;
    }

    /**
     * The live judge saw a violation: stop every worker still running now (a reproduction needs no more). Workers
     * that are writing the CDS archive (the first campaign of a JVM) get SIGTERM and a moment to exit, since they
     * write it only when they exit; otherwise every campaign stopped early would train again and never map one.
     */
    private void stopAtViolation() {
        boolean graceful = cds.build();
        for (int w = 0; w < processes.size(); w++) {
            Process p = processes.get(w);
            if (p.isAlive()) {
                stoppedAtViolation[w] = true;
                if (graceful && !paused[w]) {
                    p.destroy();
                } else {
                    p.destroyForcibly();
                }
            }
        }
        long until = System.nanoTime() + (graceful ? TimeUnit.SECONDS.toNanos(3) : 0);
        for (Process p : processes) {
            try {
                p.waitFor(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            killQuietly(p); // waits for each to be gone
        }
    }

    private void inject(PlannedFault f, Database db) {
        long at = (HistoryClock.now() - goNanos) / 1_000_000;
        Process p = processes.get(f.worker());
        if (!p.isAlive()) {
            faults.add(new FaultEvent(f.kind(), f.worker(), at, "skipped: the worker had already exited"));
            return;
        }
        NetProxy proxy = proxies.isEmpty() ? null : proxies.get(f.worker());
        String detail = switch (f.kind()) {
            case "kill-9" -> {
                killedByFault[f.worker()] = true;
                p.destroyForcibly();
                yield "SIGKILL to pid " + p.pid();
            }
            case "pause" -> {
                paused[f.worker()] = true;
                yield signal(p, "STOP");
            }
            case RESUME -> {
                paused[f.worker()] = false;
                yield signal(p, "CONT");
            }
            case "net-freeze" -> {
                proxy.freeze();
                yield "its database connections frozen (bytes held both ways)";
            }
            case UNFREEZE -> {
                proxy.unfreeze();
                yield "its database connections flow again";
            }
            case "net-latency" -> {
                proxy.latency(Duration.ofMillis(spec.faults().latencyMillis()));
                yield "every byte to and from the database waits " + spec.faults().latencyMillis() + " ms";
            }
            case LATENCY_END -> {
                proxy.latency(Duration.ZERO);
                yield "its database connections at full speed again";
            }
            case "net-reset" -> proxy.resetMidStatement(RESET_WITHIN);
            case "net-cut-commit" -> {
                proxy.armCommitCut();
                yield "armed: the next reply to a committed write is dropped and its connection cut";
            }
            default -> terminateSessions(db, applicationName(f.worker()));
        };
        faults.add(new FaultEvent(f.kind(), f.worker(), at, detail));
    }

    /** Sends {@code SIGSTOP}/{@code SIGCONT} with {@code kill(1)}; the answer says whether it was delivered. */
    private static String signal(Process p, String sig) {
        try {
            Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).redirectErrorStream(true)
                    .start();
            if (k.waitFor(5, TimeUnit.SECONDS) && k.exitValue() == 0) {
                return "SIG" + sig + " to pid " + p.pid();
            }
            k.destroyForcibly();
            return "kill -" + sig + " failed for pid " + p.pid();
        } catch (IOException e) {
            return "kill -" + sig + " failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "kill -" + sig + " interrupted";
        }
    }

    /**
     * The {@code application_name} of worker {@code w}'s sessions, {@code stresslab-<tag>-worker-<w>}: the
     * pg_terminate_backend fault ends this campaign's sessions only, never another run's on the same server.
     */
    private String applicationName(int w) {
        return "stresslab-" + sessionTag + "-worker-" + w;
    }

    private static String terminateSessions(Database db, String applicationName) {
        String sql = "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                + "WHERE application_name = ? AND pid <> pg_backend_pid()";
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, applicationName);
            ps.setQueryTimeout(5);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return "terminated " + rs.getLong(1) + " sessions of " + applicationName;
            }
        } catch (SQLException e) {
            return "pg_terminate_backend failed: " + Database.rootMessage(e);
        }
    }

    /** Thread-dumps every worker still running (into its .out file), then kills it. */
    private void killStragglers() {
        for (int w = 0; w < processes.size(); w++) {
            Process p = processes.get(w);
            if (!p.isAlive()) {
                continue;
            }
            timedOut[w] = true;
            try {
                new ProcessBuilder("kill", "-QUIT", Long.toString(p.pid())).start().waitFor(1, TimeUnit.SECONDS);
                p.waitFor(DUMP_GRACE.toMillis(), TimeUnit.MILLISECONDS); // let it write the dump
            } catch (IOException e) {
                // no kill(1): no thread dump, the worker is still killed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            killQuietly(p);
        }
    }

    private void killQuietly(Process p) {
        if (p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a loopback socket of a finished campaign
        }
    }

    private CampaignResult result(long launch, boolean started) {
        List<WorkerOutcome> outcomes = new ArrayList<>();
        List<Path> histories = new ArrayList<>();
        long lastExit = goNanos;
        for (int w = 0; w < processes.size(); w++) {
            Process p = processes.get(w);
            long exit = exitNanos.get(w) == 0 ? HistoryClock.now() : exitNanos.get(w);
            lastExit = Math.max(lastExit, exit);
            WorkerOutcome.Status status = !started ? WorkerOutcome.Status.NO_START
                    : timedOut[w] ? WorkerOutcome.Status.TIMED_OUT
                    : killedByFault[w] ? WorkerOutcome.Status.KILLED_BY_FAULT
                    : stoppedAtViolation != null && stoppedAtViolation[w] ? WorkerOutcome.Status.STOPPED_AT_VIOLATION
                    : !p.isAlive() && p.exitValue() == 0 ? WorkerOutcome.Status.OK : WorkerOutcome.Status.FAILED;
            outcomes.add(new WorkerOutcome(w, status, p.isAlive() ? -1 : p.exitValue(),
                    Duration.ofNanos(started ? Math.max(0, exit - goNanos) : 0), stderrTail(w), metrics(w)));
            if (Files.exists(file(w, "history.jsonl"))) {
                histories.add(file(w, "history.jsonl"));
            }
        }
        if (tail != null) {
            tail.close();
        }
        boolean streaming = spec.live().streaming() && live != null;
        History history = streaming ? new History(List.of()) : History.merge(histories);
        Path merged = streaming ? dir : dir.resolve("history.jsonl");
        if (!streaming) {
            history.write(merged);
        }
        HistoryChecker.Violation seen = live == null ? null : live.violation();
        Duration startup = Duration.ofNanos((started ? goNanos : HistoryClock.now()) - launch);
        CampaignResult r = new CampaignResult(spec.name(), spec.seed(), dir, merged, history, outcomes,
                List.copyOf(faults), startup, Duration.ofNanos(started ? lastExit - goNanos : 0),
                streaming ? live.invokedOps() : history.size(), seen,
                seen == null ? null : Duration.ofNanos(Math.max(0, live.violationAtNanos() - goNanos)));
        writeSummary(r);
        return r;
    }

    /** {@code campaign.json}: the one-line description, each worker's line and each fault, for people reading logs. */
    private void writeSummary(CampaignResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("summary", r.describe());
        m.put("workers", r.workers().stream().map(WorkerOutcome::describe).toList());
        m.put("nemesis", spec.schedule().stream().map(Nemesis::describe).toList());
        m.put("faults", r.faults().stream().map(FaultEvent::describe).toList());
        if (r.liveViolation() != null) {
            m.put("liveViolation", r.liveViolation().describe());
            m.put("detectedAfterMillis", r.detectedAfter().toMillis());
        }
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("campaign.json").toFile(), m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("campaign.json") + ": " + e.getMessage(), e);
        }
    }

    /** The worker's last three non-blank stderr lines, joined by " | ". */
    private String stderrTail(int w) {
        try {
            List<String> lines = Files.readAllLines(file(w, "err"), StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank()).toList();
            String tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
            return tail.length() > 500 ? tail.substring(0, 500) + "…" : tail;
        } catch (IOException e) {
            return "";
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> metrics(int w) {
        Path f = file(w, "metrics.json");
        try {
            return Files.exists(f) ? JSON.readValue(f.toFile(), LinkedHashMap.class) : Map.of();
        } catch (IOException e) {
            return Map.of("unreadable", e.getMessage());
        }
    }
}
