package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.db.Database;
import io.stresslab.core.taos.AgentTokenStore;
import io.stresslab.core.taos.TokenTable;
import io.stresslab.stress.campaign.CampaignResult;
import io.stresslab.stress.campaign.MultiWorker;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.history.History;
import io.stresslab.stress.history.HistoryChecker;
import io.stresslab.stress.history.Op;
import io.stresslab.stress.history.SingleHolderChecker;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * TAOS-2 across worker JVMs (3 × 2 threads by default, sharing one database, with the run's faults: by default one
 * worker killed with kill -9 mid-run, 5 % injected transient commit failures, one pg_terminate_backend on PostgreSQL),
 * {@link TokenRaceWorkload} on {@value #AGENTS} agents. Judged on:
 * <ul>
 *   <li>a reader in this JVM sampling the token table throughout the run for an agent with two active rows in one
 *       snapshot, and the table's final state;</li>
 *   <li>every instant: the token table read back as a history — each row is
 *       {@code grant(agent) → token-<id>} completed at its {@code issued_at} and, once revoked,
 *       {@code release(agent, token-<id>)} at its {@code revoked_at}. A store takes both times inside the agent's
 *       row lock, so they order all changes of the agent, and {@link SingleHolderChecker} finds any instant with two
 *       active tokens — which also catches two winning {@code issue}s, since an issue never revokes. The contract
 *       (changes-ordered) requires every store to take its times inside the agent's serialization;</li>
 *   <li>the raw (untyped) exceptions that reached a caller, and rotations refused with the typed error (a rotation
 *       must serialize, never be refused).</li>
 * </ul>
 * While the run goes on, {@link TokenRaceLive} stops the workers at the first of these that is certain without the
 * table's rows: the reader's sighting, a raw exception, a refused rotation.
 */
final class TokenRaceCampaign {
    static final int AGENTS = 2;
    private static final long RELEASE_IDS = 1L << 40; // release ops sort after a grant at the same instant
    private static final int EVIDENCE = 10;

    private TokenRaceCampaign() {
    }

    static Observation run(CheckContext ctx, Subject<AgentTokenStore> subject, TokenTable table) throws Exception {
        String schema = table == TokenTable.WITH_ACTIVE_INDEX ? "with-index" : "without-index";
        AtomicReference<ActiveTokenSampler> reader = new AtomicReference<>();
        return MultiWorker.run(ctx, "taos2-" + subject.variant() + "-" + schema, TokenRaceWorkload.class, 2,
                Duration.ofSeconds(3), (db, spec) -> {
                    reader.set(ActiveTokenSampler.start(db, table));
                    spec.variant(subject.remoteId()).param(TokenRaceWorkload.TABLE, table.name())
                            .param(TokenRaceWorkload.AGENTS, AGENTS)
                            .liveJudge(() -> new TokenRaceLive(reader.get()));
                    return reader.get();
                }, (db, r) -> judge(db, r, table, reader.get()));
    }

    /**
     * The judge, the same for every store: reader sightings and the final state, {@link SingleHolderChecker} over the
     * token table read back as a history, raw errors and refused rotations.
     */
    /** What the campaign showed: the reader's sighting, overlaps in the table, raw errors, the final state. */
    private record Seen(History history, String sighting, long samples, List<HistoryChecker.Violation> overlaps,
                        long finalMultiActive, List<Op> raw, Map<String, Long> rawByKind, long firstRawMillis) {
    }

    private static Observation judge(Database db, CampaignResult r, TokenTable table, ActiveTokenSampler reader) {
        History history = r.history();
        long go = history.ops().isEmpty() ? 0 : history.ops().get(0).invokeNanos();
        List<Op> raw = history.named(TokenRaceWorkload.RAW_ERROR);
        Map<String, Long> rawByKind = new TreeMap<>();
        raw.forEach(o -> rawByKind.merge(o.arg(0) + " [" + o.arg(1) + "]", 1L, Long::sum));
        Seen s = new Seen(history, reader.sighting(go), reader.samples.sum(), new SingleHolderChecker("grant",
                "release").check(tokenHistory(db, table)), activeRowsPerAgent(db, table).values().stream()
                .filter(n -> n > 1).count(), raw, rawByKind, raw.stream().mapToLong(o -> (o.invokeNanos() - go)
                / 1_000_000).min().orElse(-1));
        return describe(s, findings(s), r, table);
    }

    /** The invariants, the same for every store, each to its obligation. */
    private static Findings findings(Seen s) {
        long refusedRotations = countFailed(s.history(), TokenRaceWorkload.ROTATE);
        return new Findings()
                .check(s.sighting() != null || s.finalMultiActive() > 0, "one-active-token", () -> "two active tokens"
                        + " for one agent (" + (s.sighting() != null ? "reader: " + s.sighting() : "") + "; "
                        + s.finalMultiActive() + " agent(s) still with several at the end)")
                .check(!s.overlaps().isEmpty(), "changes-ordered", () -> s.overlaps().size() + (s.overlaps().size()
                        >= 20 ? "+" : "") + " instant(s) with two active tokens for one agent in the token table ("
                        + s.overlaps().get(0).message() + ")")
                .check(!s.raw().isEmpty(), "typed-errors-only", () -> s.raw().size() + " raw exception(s) reached"
                        + " callers " + s.rawByKind() + ", the first " + s.firstRawMillis() + " ms after the go")
                .check(refusedRotations > 0, "rotate-serializes", () -> refusedRotations + " rotation(s) refused"
                        + " instead of serialized");
    }

    private static Observation describe(Seen s, Findings f, CampaignResult r, TokenTable table) {
        long issueWins = s.history().named(TokenRaceWorkload.ISSUE).stream().filter(Op::ok).count();
        String work = String.format("%,d ops on %d agents over %d worker JVMs (%,d issue wins, %,d typed refusals,"
                + " %,d reader samples), table %s", s.history().size(), AGENTS, r.workers().size(), issueWins,
                countFailed(s.history(), null), s.samples(), table.tableName());
        Observation o = f.observe("over " + work + "; " + r.describe(), "at most one active token per agent at"
                        + " every instant (token table and reader), every losing issue got the typed error, no raw"
                        + " exception reached a caller")
                .operations(s.history().size())
                .metric("issueWins", issueWins)
                .metric("rawErrors", s.raw().size())
                .metric("rawErrorsByKind", s.rawByKind())
                .metric("readerSamples", s.samples())
                .metric("overlappingTokens", s.overlaps().size())
                .metric("agentsWithSeveralActiveTokensAtEnd", s.finalMultiActive());
        if (!s.overlaps().isEmpty()) {
            o.evidence("overlaps", s.overlaps().stream().limit(EVIDENCE).map(HistoryChecker.Violation::describe)
                    .toList());
        }
        if (!s.raw().isEmpty()) {
            o.evidence("firstRawErrors", s.raw().stream().limit(EVIDENCE).map(Op::describe).toList());
        }
        return o;
    }

    /** FAIL ops refused with the typed error; of one op name, or of any if {@code name} is null. */
    private static long countFailed(History history, String name) {
        return history.ops().stream().filter(o -> TokenRaceWorkload.refused(o) && (name == null
                || o.name().equals(name))).count();
    }

    /** The token table as grant/release ops, on epoch-nanosecond times (row ids only, never a hash). */
    private static History tokenHistory(Database db, TokenTable table) {
        return db.autoCommit(c -> {
            List<Op> ops = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, agent_id, issued_at, revoked_at FROM "
                    + table.tableName());
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    String agent = rs.getString(2);
                    String token = "token-" + id;
                    long issued = epochNanos(rs.getObject(3, OffsetDateTime.class));
                    ops.add(new Op(-1, 0, id, "grant", agent, List.of(), issued, issued, Op.Status.OK, token));
                    OffsetDateTime revoked = rs.getObject(4, OffsetDateTime.class);
                    if (revoked != null) {
                        long at = epochNanos(revoked);
                        ops.add(new Op(-1, 0, RELEASE_IDS + id, "release", agent, List.of(token), at, at,
                                Op.Status.OK, ""));
                    }
                }
            }
            return new History(ops);
        });
    }

    private static Map<String, Long> activeRowsPerAgent(Database db, TokenTable table) {
        return db.autoCommit(c -> {
            Map<String, Long> m = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT agent_id, COUNT(*) FROM " + table.tableName()
                    + " WHERE revoked_at IS NULL GROUP BY agent_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    m.put(rs.getString(1), rs.getLong(2));
                }
            }
            return m;
        });
    }

    private static long epochNanos(OffsetDateTime t) {
        Instant i = t.toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
