package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.db.Database;
import io.stresslab.core.taos.AddAgentService;
import io.stresslab.core.taos.SharedIdempotencyStore;
import io.stresslab.stress.campaign.CampaignResult;
import io.stresslab.stress.campaign.MultiWorker;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.LatencyStats;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.history.ExactlyOnceChecker;
import io.stresslab.stress.history.History;
import io.stresslab.stress.history.HistoryChecker;
import io.stresslab.stress.history.HistoryClock;
import io.stresslab.stress.history.HistoryRecorder;
import io.stresslab.stress.history.LiveSameResponse;
import io.stresslab.stress.history.Op;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * TAOS-3 across worker JVMs (3 × 3 threads by default, sharing one database, with the run's faults: by default one
 * worker killed with kill -9 mid-run, 5 % injected transient commit failures, one pg_terminate_backend on PostgreSQL).
 * Every caller sends the same keys at the same time ({@link SharedKeysWorkload}). After the campaign a late caller
 * (this JVM, a fresh instance of the variant's store, like a new worker) requests every key once more, waiting out
 * the lease: it replays completed keys and re-executes the ones a killed worker abandoned mid-request. Then each agent
 * row becomes an {@code effect} op of its key and {@link ExactlyOnceChecker} judges the whole: more than one agent row
 * for a key is a duplicate side effect, two different OK responses for a key break idempotency, an answered key with
 * no row lost its effect. A pause or a freeze lasts two leases, so the paused owner sleeps past its lease in the
 * middle of its handler and wakes to complete a key that was taken over. While the run goes on, a live judge
 * ({@link LiveSameResponse}) stops the workers at the first key whose callers got two different answers.
 */
final class SharedKeysCampaign {
    static final Duration LEASE = Duration.ofSeconds(1);
    /** Threads per worker, each serving one lane of keys; as many as the default 3 workers, so each leads one. */
    private static final int LANES = 3;
    private static final String EFFECT = "effect";
    private static final int EVIDENCE = 10;
    /** Keys whose first answer the live judge remembers: more than a campaign's. */
    private static final int LIVE_WINDOW = 100_000;

    private SharedKeysCampaign() {
    }

    static Observation run(CheckContext ctx, Subject<SharedIdempotencyStore> subject) throws Exception {
        return MultiWorker.run(ctx, "taos3-" + subject.variant(), SharedKeysWorkload.class, LANES,
                Duration.ofSeconds(3), (db, spec) -> {
                    spec.variant(subject.remoteId()).param(SharedKeysWorkload.LEASE_MILLIS, LEASE.toMillis())
                            .fitToLease(LEASE) // a paused owner sleeps past its lease in the middle of its handler
                            .liveJudge(() -> new LiveSameResponse(SharedKeysWorkload.REQUEST, LIVE_WINDOW));
                    return null;
                }, (db, r) -> judge(db, r, SharedKeysWorkload.service(subject, db, Clock.systemUTC(), LEASE,
                        Duration.ZERO)));
    }

    /** What the campaign and the late caller left: every request, every side effect, the checker's violations. */
    private record Seen(int keys, int requests, long lateOps, int duplicatedInCampaign, long abandoned,
                        long takeovers, List<Long> lateNanos, List<HistoryChecker.Violation> violations) {
    }

    /** Runs the late caller through {@code late}, then judges the campaign's history and the agent rows. */
    private static Observation judge(Database db, CampaignResult r, AddAgentService late) throws Exception {
        List<Op> requests = r.history().named(SharedKeysWorkload.REQUEST);
        TreeSet<Long> keys = requests.stream().map(o -> Long.parseLong(o.key().substring(4)))
                .collect(Collectors.toCollection(TreeSet::new));
        int duplicatedInCampaign = (int) agentRows(db).values().stream().filter(rows -> rows.size() > 1).count();
        long abandoned = count(db, "SELECT COUNT(*) FROM idempotency_keys WHERE state = 'PENDING'");
        // the late caller: every key once more, through a fresh store of the variant, in this JVM
        Path lateFile = r.dir().resolve("late-caller.history.jsonl");
        List<Long> lateNanos = new ArrayList<>();
        try (HistoryRecorder recorder = HistoryRecorder.open(lateFile, r.workers().size())) {
            for (long k : keys) {
                long t0 = HistoryClock.now();
                SharedKeysWorkload.request(recorder, late, k);
                lateNanos.add(HistoryClock.now() - t0);
            }
        }
        History lateHistory = History.merge(List.of(lateFile));
        List<Op> all = new ArrayList<>(r.history().ops());
        all.addAll(lateHistory.ops());
        agentRows(db).values().forEach(all::addAll);
        Seen s = new Seen(keys.size(), requests.size(), lateHistory.size(), duplicatedInCampaign, abandoned,
                count(db, "SELECT COUNT(*) FROM idempotency_keys WHERE generation > 1"), lateNanos,
                new ExactlyOnceChecker(EFFECT, SharedKeysWorkload.REQUEST).check(new History(all)));
        Findings f = new Findings().check(!s.violations().isEmpty(), "once-across-instances", () -> s.violations()
                .stream().filter(v -> v.message().startsWith("side effect ran")).count() + " of " + s.keys()
                + " keys ran the side effect more than once (" + s.duplicatedInCampaign() + " already during the"
                + " campaign), " + s.violations().size() + " violation(s) in all");
        return describe(s, f, r);
    }

    private static Observation describe(Seen s, Findings f, CampaignResult r) {
        String work = String.format("%,d keys × one caller per worker JVM (%d workers, %,d requests) plus a late"
                + " caller of every key (lease %d ms); fault effects: %,d requests of unknown outcome (INFO: in"
                + " flight at a kill -9, or their COMMIT lost), %d reservations abandoned at the end, %d taken over"
                + " after their lease", s.keys(), r.workers().size(),
                s.requests(), LEASE.toMillis(), r.history().statusCounts().get(Op.Status.INFO), s.abandoned(),
                s.takeovers());
        Observation o = f.observe("over " + work + "; " + r.describe(), "every key's side effect ran exactly once"
                        + " across worker JVMs and every OK caller of a key got the identical response")
                .operations(s.requests() + s.lateOps())
                .metric("keys", s.keys())
                .metric("requests", s.requests())
                .metric("duplicatedKeysDuringCampaign", s.duplicatedInCampaign())
                .metric("abandonedReservations", s.abandoned())
                .metric("takeovers", s.takeovers())
                .metric("leaseMillis", LEASE.toMillis())
                .metric("lateCallerLatency", LatencyStats.ofNanos(s.lateNanos()).toMetric());
        if (!s.violations().isEmpty()) {
            o.evidence("violations", s.violations().stream().limit(EVIDENCE)
                    .map(HistoryChecker.Violation::describe).toList());
        }
        return o;
    }

    /** The agent rows, as {@code effect(key-i, slug) → row <id>} ops per key (no times: read after the fact). */
    private static Map<String, List<Op>> agentRows(Database db) {
        return db.autoCommit(c -> {
            Map<String, List<Op>> byKey = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, slug FROM taos_agents ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = "key-" + rs.getString(2).substring("agent-".length());
                    byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new Op(-1, 0, rs.getLong(1), EFFECT, key,
                            List.of(rs.getString(3)), 0, 0, Op.Status.OK, "row " + rs.getLong(1)));
                }
            }
            return byKey;
        });
    }

    private static long count(Database db, String sql) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
