package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.db.Database;
import io.stresslab.core.taos.ActiveTokenExistsException;
import io.stresslab.core.taos.AgentTokenStore;
import io.stresslab.core.taos.IssuedToken;
import io.stresslab.core.taos.LockedRotateTokenStore;
import io.stresslab.core.taos.SerializedTokenStore;
import io.stresslab.core.taos.TokenTable;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Tool;
import io.stresslab.stress.harness.Watchdog;
import io.stresslab.stress.harness.WorkerPools;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * TAOS-2: a per-process lock cannot stop two workers issuing two active tokens. Every check runs {@value #WORKERS}
 * store instances, each on its own connection pool (a worker process each), racing on one agent per round while a
 * reader samples the table for an agent with more than one active token. The Pass 1 store ({@code in-process-lock})
 * rotates concurrently and is expected to end with two active tokens (table without the index) or to hand a raw
 * constraint violation to its caller (table with it); the serialized store first has every worker {@code issue}
 * (exactly one may win, the rest get the typed refusal) and then {@code rotate}, and must keep one active token per
 * agent on both tables — without the index, only its per-agent lock stands between the workers and the bug. The
 * {@code worker-jvms-faults-*} checks race real worker JVMs under kill -9 and injected faults
 * ({@link TokenRaceCampaign}).
 */
public final class Taos2Scenario implements Scenario {
    static final int WORKERS = 4;
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int REVOKE_THEN_ISSUE_AGENTS = 20;
    private static final int EVIDENCE_ROWS = 10;

    @Override
    public String bug() {
        return "TAOS-2";
    }


    @Override
    public List<CheckSpec> checks() {
        return List.of(
                CheckSpec.onDatabases(bug(), "in-process-lock", Expect.REPRODUCE, Tool.DATABASE,
                        "two-active-tokens-without-index",
                        ctx -> race(ctx, TokenTable.WITHOUT_ACTIVE_INDEX, LockedRotateTokenStore::new, false)),
                CheckSpec.onDatabases(bug(), "in-process-lock", Expect.REPRODUCE, Tool.DATABASE,
                        "raw-constraint-violation-with-index",
                        ctx -> race(ctx, TokenTable.WITH_ACTIVE_INDEX, LockedRotateTokenStore::new, false)),
                CheckSpec.onDatabases(bug(), "serialized-per-agent", Expect.HOLD, Tool.DATABASE,
                        "one-active-token-with-index",
                        ctx -> race(ctx, TokenTable.WITH_ACTIVE_INDEX, SerializedTokenStore::new, true)),
                CheckSpec.onDatabases(bug(), "serialized-per-agent", Expect.HOLD, Tool.DATABASE,
                        "one-active-token-without-index",
                        ctx -> race(ctx, TokenTable.WITHOUT_ACTIVE_INDEX, SerializedTokenStore::new, true)),
                CheckSpec.onDatabases(bug(), TokenRaceWorkload.IN_PROCESS_LOCK, Expect.REPRODUCE, Tool.MULTI_WORKER,
                        "worker-jvms-faults-without-index", ctx -> TokenRaceCampaign.run(ctx,
                                TokenRaceWorkload.IN_PROCESS_LOCK, TokenTable.WITHOUT_ACTIVE_INDEX)),
                CheckSpec.onDatabases(bug(), TokenRaceWorkload.IN_PROCESS_LOCK, Expect.REPRODUCE, Tool.MULTI_WORKER,
                        "worker-jvms-faults-with-index", ctx -> TokenRaceCampaign.run(ctx,
                                TokenRaceWorkload.IN_PROCESS_LOCK, TokenTable.WITH_ACTIVE_INDEX)),
                CheckSpec.onDatabases(bug(), TokenRaceWorkload.SERIALIZED, Expect.HOLD, Tool.MULTI_WORKER,
                        "worker-jvms-faults-without-index", ctx -> TokenRaceCampaign.run(ctx,
                                TokenRaceWorkload.SERIALIZED, TokenTable.WITHOUT_ACTIVE_INDEX)),
                // with the index, issue is the single autocommit INSERT: the index alone must refuse the second token
                CheckSpec.onDatabases(bug(), TokenRaceWorkload.SERIALIZED, Expect.HOLD, Tool.MULTI_WORKER,
                        "worker-jvms-faults-with-index", ctx -> TokenRaceCampaign.run(ctx,
                                TokenRaceWorkload.SERIALIZED, TokenTable.WITH_ACTIVE_INDEX)));
    }

    /** Builds one worker's store on its pool. */
    private interface StoreFactory {
        AgentTokenStore create(Database db, TokenTable table, Clock clock);
    }

    /**
     * Round r races all workers on agent {@code agent-r}: each calls {@code issue} (if {@code issueFirst}) and then
     * {@code rotate}. A before variant stops at the first sighting of the bug; an after variant runs every round.
     */
    private static Observation race(CheckContext ctx, TokenTable table, StoreFactory factory, boolean issueFirst)
            throws Exception {
        int rounds = ctx.ops(issueFirst ? 150 : 300);
        boolean stopAtFirst = !issueFirst;
        try (WorkerPools workers = WorkerPools.open(ctx, WORKERS, 4)) {
            List<AgentTokenStore> stores = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                stores.add(factory.create(workers.worker(w), table, Clock.systemUTC()));
            }
            Tally tally = new Tally(rounds);
            long t0 = System.nanoTime();
            Watchdog.Outcome<Void> hang;
            try (Sampler sampler = Sampler.start(workers.worker(0), table)) {
                hang = ConcurrentRounds.run("TAOS-2 token races", WORKERS, rounds, DEADLINE, (w, round) -> {
                    if (stopAtFirst && (tally.rawErrors.get() > 0 || sampler.firstRows.get() != null)) {
                        return;
                    }
                    String agent = "agent-" + round;
                    AgentTokenStore store = stores.get(w);
                    if (issueFirst) {
                        tally.call(round, t0, false, () -> store.issue(agent)).ifPresent(x -> tally.issueWins[round]
                                .incrementAndGet());
                    }
                    tally.call(round, t0, true, () -> store.rotate(agent));
                });
                tally.samples = sampler.samples.sum();
                tally.sighting = sampler.sighting(t0);
            }
            if (hang != null) {
                return ConcurrentRounds.hung(ctx, hang);
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            return tally.judge(workers.worker(0), table, stores.get(0), issueFirst, millis);
        }
    }

    /** What the callers saw, per round. */
    private static final class Tally {
        final AtomicInteger[] issueWins;
        final Queue<IssuedToken> issued = new ConcurrentLinkedQueue<>();
        final LongAdder calls = new LongAdder();
        final LongAdder typedRefusals = new LongAdder();
        final LongAdder refusedRotations = new LongAdder();
        final AtomicInteger rawErrors = new AtomicInteger();
        final AtomicReference<String> firstRawError = new AtomicReference<>();
        final AtomicLong firstRawErrorMillis = new AtomicLong(-1);
        final AtomicInteger roundsRun = new AtomicInteger();
        long samples;
        String sighting;

        Tally(int rounds) {
            issueWins = new AtomicInteger[rounds];
            for (int i = 0; i < rounds; i++) {
                issueWins[i] = new AtomicInteger();
            }
        }

        /**
         * One store call: a token, or the typed refusal (which a rotation must never get), or (the bug) any other
         * exception reaching the caller.
         */
        Optional<IssuedToken> call(int round, long t0, boolean rotation, Supplier<IssuedToken> op) {
            roundsRun.accumulateAndGet(round + 1, Math::max);
            calls.increment();
            try {
                IssuedToken token = op.get();
                issued.add(token);
                return Optional.of(token);
            } catch (ActiveTokenExistsException e) {
                typedRefusals.increment();
                if (rotation) {
                    refusedRotations.increment();
                }
            } catch (RuntimeException e) {
                if (rawErrors.getAndIncrement() == 0) {
                    firstRawError.set("round " + round + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
                    firstRawErrorMillis.set((System.nanoTime() - t0) / 1_000_000);
                }
            }
            return Optional.empty();
        }

        Observation judge(Database db, TokenTable table, AgentTokenStore store, boolean issueFirst,
                          long millis) {
            int roundsDone = roundsRun.get();
            int badIssueRounds = 0;
            for (int r = 0; r < roundsDone; r++) {
                badIssueRounds += issueFirst && issueWins[r].get() != 1 ? 1 : 0;
            }
            List<String> multiActive = activeRows(db, table, "HAVING COUNT(*) > 1");
            // every secret handed out must be invalid except the agent's one active token
            Map<String, List<IssuedToken>> byAgent = issued.stream()
                    .collect(Collectors.groupingBy(IssuedToken::agentId));
            int withoutToken = 0;
            int severalValid = 0;
            for (int r = 0; r < roundsDone; r++) {
                String agent = "agent-" + r;
                long valid = byAgent.getOrDefault(agent, List.of()).stream()
                        .filter(t -> store.validate(agent, t.secret())).count();
                withoutToken += valid == 0 ? 1 : 0;
                severalValid += valid > 1 ? 1 : 0;
            }
            String revokeThenIssue = revokeThenIssue(store, Math.min(roundsDone, REVOKE_THEN_ISSUE_AGENTS));

            String work = String.format("%,d rounds × %d workers (%,d calls, %,d reader samples)", roundsDone, WORKERS,
                    calls.sum(), samples);
            List<String> found = new ArrayList<>();
            if (sighting != null || !multiActive.isEmpty() || severalValid > 0) {
                found.add("two active tokens for one agent (" + (sighting != null ? "reader: " + sighting
                        : multiActive.isEmpty() ? severalValid + " agent(s) with two valid secrets"
                        : "final state: " + multiActive.get(0)) + ")");
            }
            if (rawErrors.get() > 0) {
                found.add(rawErrors.get() + " raw SQL error(s) reached the caller, first after "
                        + firstRawErrorMillis.get() + " ms in " + firstRawError.get());
            }
            if (refusedRotations.sum() > 0) {
                found.add(refusedRotations.sum() + " rotation(s) refused instead of serialized");
            }
            if (badIssueRounds > 0) {
                found.add(badIssueRounds + " round(s) where not exactly one concurrent issue won");
            }
            if (withoutToken > 0) {
                found.add(withoutToken + " agent(s) left without a valid token");
            }
            if (revokeThenIssue != null) {
                found.add(revokeThenIssue);
            }
            Observation o = found.isEmpty()
                    ? Observation.bugAbsent("at most one active token per agent, " + (issueFirst
                            ? "exactly one issue won per round, the rest refused with the typed error, " : "")
                            + "no raw SQL error; over " + work)
                    : Observation.bugObserved(String.join("; ", found) + "; over " + work);
            o.operations(calls.sum())
                    .metric("rounds", roundsDone)
                    .metric("workers", WORKERS)
                    .metric("calls", calls.sum())
                    .metric("readerSamples", samples)
                    .metric("typedRefusals", typedRefusals.sum())
                    .metric("rawErrors", rawErrors.get())
                    .metric("agentsWithSeveralValidTokens", severalValid)
                    .metric("elapsedMillis", millis)
                    .metric("table", table.tableName());
            if (firstRawErrorMillis.get() >= 0) {
                o.metric("firstRawErrorAfterMillis", firstRawErrorMillis.get()).evidence("firstRawError",
                        firstRawError.get());
            }
            if (sighting != null) {
                o.evidence("readerSighting", sighting);
            }
            if (!multiActive.isEmpty()) {
                o.evidence("agentsWithSeveralActiveTokens", multiActive);
            }
            return o;
        }
    }

    /** Revoke then issue must work on the first {@code agents} agents; returns what went wrong, or null. */
    private static String revokeThenIssue(AgentTokenStore store, int agents) {
        for (int r = 0; r < agents; r++) {
            String agent = "agent-" + r;
            try {
                store.revoke(agent);
                IssuedToken fresh = store.issue(agent);
                if (!store.validate(agent, fresh.secret())) {
                    return "revoke then issue left " + agent + " without a valid token";
                }
            } catch (RuntimeException e) {
                return "revoke then issue failed for " + agent + ": " + e.getMessage();
            }
        }
        return null;
    }

    /** Agents' active token rows (id, issue time; never the hash) grouped by a HAVING clause. */
    private static List<String> activeRows(Database db, TokenTable table, String having) {
        return db.autoCommit(c -> {
            List<String> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT agent_id, COUNT(*), MIN(id), MAX(id) FROM "
                    + table.tableName() + " WHERE revoked_at IS NULL GROUP BY agent_id " + having
                    + " ORDER BY agent_id")) {
                ps.setMaxRows(EVIDENCE_ROWS);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(rs.getString(1) + ": " + rs.getInt(2) + " active tokens (ids " + rs.getLong(3)
                                + ".." + rs.getLong(4) + ")");
                    }
                }
            }
            return rows;
        });
    }

    /** A reader that samples the table for an agent with several active tokens while the workers race. */
    static final class Sampler implements AutoCloseable {
        final LongAdder samples = new LongAdder();
        /** The first agent seen with several active tokens; {@link #firstSightingNanos} says when. */
        final AtomicReference<String> firstRows = new AtomicReference<>();
        private volatile long firstSightingNanos; // written before firstRows is set
        private volatile boolean stop;
        private final Thread thread;

        private Sampler(Database db, TokenTable table) {
            thread = Threads.daemon("taos-active-token-sampler", () -> {
                while (!stop) {
                    List<String> rows = activeRows(db, table, "HAVING COUNT(*) > 1");
                    samples.increment();
                    if (!rows.isEmpty() && firstRows.get() == null) {
                        firstSightingNanos = System.nanoTime();
                        firstRows.set(rows.get(0));
                    }
                    LockSupport.parkNanos(200_000);
                }
            });
        }

        static Sampler start(Database db, TokenTable table) {
            Sampler s = new Sampler(db, table);
            s.thread.start();
            return s;
        }

        /** The first sighting and when it was sampled ({@link System#nanoTime()} {@code t0} = 0), or null. */
        String sighting(long t0) {
            String rows = firstRows.get();
            return rows == null ? null : rows + ", sampled " + (firstSightingNanos - t0) / 1_000_000
                    + " ms into the run";
        }

        @Override
        public void close() {
            stop = true;
            Watchdog.Outcome<Void> o = Watchdog.awaitThread("active-token sampler", Duration.ofSeconds(30), thread);
            if (o.timedOut()) {
                thread.interrupt();
                throw new IllegalStateException(o.describe());
            }
        }
    }
}
