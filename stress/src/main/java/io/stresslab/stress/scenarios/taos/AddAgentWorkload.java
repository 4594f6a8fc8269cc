package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.db.Database;
import io.stresslab.core.taos.AddAgentService;
import io.stresslab.core.taos.IdempotencyException;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.StoredResponse;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.ConcurrentRounds;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Watchdog;
import io.stresslab.stress.harness.WorkerPools;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The TAOS-1/TAOS-3 workload: for each of {@code keys} keys, {@value #CALLERS} callers released together send
 * "add agent" with the same Idempotency-Key, caller {@code t} through worker {@code t mod N}'s service (its own pool
 * and its own idempotency store). Afterwards it counts agent rows per key — a second row (slug {@code name-2}) is a
 * second execution of the side effect — and compares the responses the callers received.
 */
final class AddAgentWorkload {
    static final int CALLERS = 4;
    private static final Duration CALLER_WAIT = Duration.ofSeconds(20);
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int EVIDENCE_ROWS = 10;

    private AddAgentWorkload() {
    }

    /** Builds one worker's idempotency store on its pool. */
    @FunctionalInterface
    interface StoreFor {
        IdempotencyStore build(Database db) throws Exception;
    }

    /** What the callers saw: each key's responses, the duplicate agents in the table, the first duplicate answered. */
    record Seen(String work, int keys, String[][] responses, List<String> duplicates, int duplicatedKeys,
                String firstSuffix, long firstSuffixMillis, long millis, Watchdog.Outcome<Void> hang) {
    }

    /**
     * Runs the workload on {@code workers} worker pools, each with the store {@code storeFor} builds on its pool;
     * {@code storeName} names the store in the summary. A caller refused with an {@link IdempotencyException} counts
     * as a different response. The run stops at the first sighting: once a caller has been answered with a
     * duplicate's slug, the remaining keys are skipped.
     */
    static Seen run(CheckContext ctx, int workers, int keys, String storeName, StoreFor storeFor) throws Exception {
        try (WorkerPools pools = WorkerPools.open(ctx, workers, 4)) {
            List<AddAgentService> services = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                Database db = pools.worker(w);
                services.add(new AddAgentService(db, storeFor.build(db), Clock.systemUTC(), CALLER_WAIT));
            }
            String[][] responses = new String[keys][CALLERS];
            AtomicLong firstSuffixMillis = new AtomicLong(-1);
            AtomicReference<String> firstSuffix = new AtomicReference<>();
            AtomicInteger keysRun = new AtomicInteger();
            long t0 = System.nanoTime();
            Watchdog.Outcome<Void> hang = ConcurrentRounds.run("TAOS add-agent callers", CALLERS, keys, DEADLINE,
                    (t, k) -> {
                        if (firstSuffixMillis.get() >= 0) {
                            return;
                        }
                        keysRun.accumulateAndGet(k + 1, Math::max);
                        String r = call(services.get(t % workers), k);
                        responses[k][t] = r;
                        // the caller's own view of the bug: it was told about agent-k-2, a duplicate
                        if (r.contains("\"slug\":\"" + name(k) + "-") && firstSuffixMillis.compareAndSet(-1,
                                (System.nanoTime() - t0) / 1_000_000)) {
                            firstSuffix.set("key-" + k + " answered " + r);
                        }
                    });
            int ran = keysRun.get();
            String work = String.format("%,d keys × %d concurrent callers over %d worker%s with %s", ran, CALLERS,
                    workers, workers == 1 ? "" : "s", storeName);
            return new Seen(work, ran, responses, duplicateAgents(pools.worker(0)),
                    countDuplicatedNames(pools.worker(0)), firstSuffix.get(), firstSuffixMillis.get(),
                    (System.nanoTime() - t0) / 1_000_000, hang);
        }
    }

    private static String call(AddAgentService service, int k) {
        try {
            StoredResponse r = service.addAgent("user", "key-" + k, name(k));
            return r.status() + " " + r.body();
        } catch (IdempotencyException e) {
            return "IdempotencyException " + e.reason();
        }
    }

    /** One side effect and one response per key; a hung caller is a violation too. */
    static Findings judge(Seen s) {
        List<String> divergent = new ArrayList<>();
        for (int k = 0; k < s.keys(); k++) {
            if (Arrays.stream(s.responses()[k]).filter(Objects::nonNull).distinct().count() > 1) {
                divergent.add("key-" + k + ": " + String.join(" | ", s.responses()[k]));
            }
        }
        return new Findings()
                .check(s.hang() != null, "wait-honoured", () -> "callers hung: " + s.hang().describe())
                .check(s.duplicatedKeys() > 0, "once-per-key", () -> s.duplicatedKeys() + " of " + s.keys()
                        + " key(s) ran the side effect more than once (duplicate agents hidden behind -2 slugs)"
                        + (s.firstSuffixMillis() >= 0 ? ", first seen by a caller after " + s.firstSuffixMillis()
                        + " ms" : ""))
                .check(!divergent.isEmpty(), "once-per-key", () -> divergent.size() + " key(s) answered their"
                        + " callers differently, e.g. " + divergent.get(0));
    }

    static Observation describe(Seen s, Findings f) {
        Observation o = f.observe("over " + s.work(), "every key created exactly one agent and all " + CALLERS
                        + " callers got the identical response")
                .operations((long) s.keys() * CALLERS)
                .metric("keys", s.keys())
                .metric("callersPerKey", CALLERS)
                .metric("duplicatedKeys", s.duplicatedKeys())
                .metric("elapsedMillis", s.millis());
        if (s.firstSuffix() != null) {
            o.metric("firstDuplicateSeenAfterMillis", s.firstSuffixMillis())
                    .evidence("firstDuplicateResponse", s.firstSuffix());
        }
        if (!s.duplicates().isEmpty()) {
            o.evidence("duplicateAgents", s.duplicates());
        }
        if (s.hang() != null && s.hang().dump() != null) {
            o.evidence("threadDump", s.hang().dump().toEvidence(ConcurrentRounds.CALLER_THREADS));
        }
        return o;
    }

    static String name(int key) {
        return "agent-" + key;
    }

    /** Rows of names with more than one agent: "agent-3: 2 rows, slugs agent-3 … agent-3-2". */
    private static List<String> duplicateAgents(Database db) {
        return db.autoCommit(c -> {
            List<String> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, COUNT(*), MIN(slug), MAX(slug)"
                    + " FROM taos_agents GROUP BY name HAVING COUNT(*) > 1 ORDER BY name")) {
                ps.setMaxRows(EVIDENCE_ROWS);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(rs.getString(1) + ": " + rs.getInt(2) + " rows, slugs " + rs.getString(3) + " … "
                                + rs.getString(4));
                    }
                }
            }
            return rows;
        });
    }

    private static int countDuplicatedNames(Database db) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM (SELECT name FROM taos_agents"
                    + " GROUP BY name HAVING COUNT(*) > 1) d");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    /** Agent rows created for {@code name}: how often its side effect ran. */
    static int agentRows(Database db, String name) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM taos_agents WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }
}
