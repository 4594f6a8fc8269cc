package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.db.Database;
import io.stresslab.core.taos.AddAgentService;
import io.stresslab.core.taos.IdempotencyException;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.StoredResponse;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.ConcurrentRounds;
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

    /**
     * Runs the workload on {@code workers} worker pools, each with the store {@code storeFor} builds on its pool, and
     * returns the bug as observed when any key ran its side effect more than once or its callers got different
     * responses (a caller refused with an {@link IdempotencyException} counts as a different response). {@code storeName}
     * names the store in the summary. The run stops at the first sighting: once a caller has been answered with a
     * duplicate's slug, the remaining keys are skipped.
     */
    static Observation run(CheckContext ctx, int workers, int keys, String storeName,
                           StoreFor storeFor) throws Exception {
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
                        StoredResponse r;
                        try {
                            r = services.get(t % workers).addAgent("user", "key-" + k, name(k));
                        } catch (IdempotencyException e) {
                            responses[k][t] = "IdempotencyException " + e.reason();
                            return;
                        }
                        responses[k][t] = r.status() + " " + r.body();
                        // the caller's own view of the bug: it was told about agent-k-2, a duplicate
                        if (r.body().contains("\"slug\":\"" + name(k) + "-") && firstSuffixMillis.compareAndSet(-1,
                                (System.nanoTime() - t0) / 1_000_000)) {
                            firstSuffix.set("key-" + k + " answered " + r.body());
                        }
                    });
            if (hang != null) {
                return ConcurrentRounds.hung(hang);
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            List<String> duplicates = duplicateAgents(pools.worker(0));
            int divergent = 0;
            String firstDivergent = null;
            int ran = keysRun.get();
            for (int k = 0; k < ran; k++) {
                if (Arrays.stream(responses[k]).filter(Objects::nonNull).distinct().count() > 1) {
                    divergent++;
                    firstDivergent = firstDivergent != null ? firstDivergent
                            : "key-" + k + ": " + String.join(" | ", responses[k]);
                }
            }
            int duplicated = countDuplicatedNames(pools.worker(0));
            String work = String.format("%,d keys × %d concurrent callers over %d worker%s with %s", ran, CALLERS,
                    workers, workers == 1 ? "" : "s", storeName);
            Observation o = duplicated == 0 && divergent == 0
                    ? Observation.bugAbsent("every key created exactly one agent and all " + CALLERS
                            + " callers got the identical response; over " + work)
                    : Observation.bugObserved(duplicated + " of " + ran + " key(s) ran the side effect more than once"
                            + " (duplicate agents hidden behind -2 slugs) and " + divergent
                            + " key(s) answered their callers differently"
                            + (firstSuffixMillis.get() >= 0 ? ", first seen by a caller after "
                            + firstSuffixMillis.get() + " ms" : "") + "; over " + work);
            o.operations((long) ran * CALLERS)
                    .metric("keys", ran)
                    .metric("callersPerKey", CALLERS)
                    .metric("workers", workers)
                    .metric("duplicatedKeys", duplicated)
                    .metric("divergentKeys", divergent)
                    .metric("elapsedMillis", millis);
            if (firstSuffixMillis.get() >= 0) {
                o.metric("firstDuplicateSeenAfterMillis", firstSuffixMillis.get())
                        .evidence("firstDuplicateResponse", firstSuffix.get());
            }
            if (!duplicates.isEmpty()) {
                o.evidence("duplicateAgents", duplicates);
            }
            if (firstDivergent != null) {
                o.evidence("firstDivergentResponses", firstDivergent);
            }
            return o;
        }
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
