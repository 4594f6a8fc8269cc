package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.db.CommitOutcomeUnknownException;
import io.stresslab.core.db.DatabaseException;
import io.stresslab.core.taos.ActiveTokenExistsException;
import io.stresslab.core.taos.AgentTokenStore;
import io.stresslab.core.taos.IssuedToken;
import io.stresslab.core.taos.TokenTable;
import io.stresslab.stress.campaign.WorkerContext;
import io.stresslab.stress.campaign.Workload;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.history.HistoryRecorder;
import io.stresslab.stress.history.Op;
import io.stresslab.stress.scenarios.Scenarios;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * TAOS-2 across worker JVMs: every thread of every worker issues, rotates and now and then revokes the tokens of a
 * small shared set of agents through its worker's own store instance (its own in-process lock, for the Pass 1 store).
 * Recorded ops, keyed by agent: {@code issue}/{@code rotate} → {@code token-<row id>} (never a secret), FAIL
 * {@value #TYPED_REFUSAL} for the typed {@link ActiveTokenExistsException}, INFO for an unknown commit outcome or a raw
 * error; {@code revoke} → rows revoked; and for every raw (untyped) exception that reached the caller, a marker op
 * {@code raw-error(agent, exception class, SQLSTATE)}. Parameters: the campaign's variant (the store under test, a
 * {@link io.stresslab.stress.harness.Subject#remoteId()}), {@code table} (a {@link TokenTable} name), {@code agents}.
 */
public final class TokenRaceWorkload implements Workload {
    static final String TABLE = "table";
    static final String AGENTS = "agents";
    static final String ISSUE = "issue";
    static final String ROTATE = "rotate";
    static final String REVOKE = "revoke";
    static final String RAW_ERROR = "raw-error";
    static final String TYPED_REFUSAL = "active token exists";

    @Override
    public void run(WorkerContext ctx) throws Exception {
        TokenTable table = TokenTable.valueOf(ctx.param(TABLE, TokenTable.WITH_ACTIVE_INDEX.name()));
        AgentTokenStore store = Scenarios.remote("TAOS-2", AgentTokenStore.class,
                ctx.variant("variant:serialized-per-agent")).create(Env.of(ctx.database(), table, Clock.systemUTC()));
        // the store's clock only stamps issued_at/revoked_at, which order the agent's changes for the judge
        // (changes-ordered): that obligation assumes agreeing clocks, so the clock-skew fault leaves this store alone
        int agents = ctx.intParam(AGENTS, 2);
        ctx.runThreads(Duration.ofSeconds(30), t -> {
            SplittableRandom rnd = ctx.random(t);
            while (ctx.nextOp()) {
                String agent = agent(rnd.nextInt(agents));
                int dice = rnd.nextInt(8);
                if (dice == 0) {
                    revoke(ctx.history(), store, agent);
                } else {
                    grant(ctx.history(), store, agent, dice % 2 == 0 ? ISSUE : ROTATE);
                }
            }
        });
    }

    /** Whether {@code op} was refused with the typed {@link ActiveTokenExistsException}. */
    static boolean refused(Op op) {
        return op.status() == Op.Status.FAIL && TYPED_REFUSAL.equals(op.result());
    }

    static String agent(int i) {
        return "agent-" + i;
    }

    private static void grant(HistoryRecorder history, AgentTokenStore store, String agent, String name) {
        HistoryRecorder.Pending op = history.invoke(name, agent);
        try {
            IssuedToken token = name.equals(ISSUE) ? store.issue(agent) : store.rotate(agent);
            op.ok("token-" + token.tokenId());
        } catch (ActiveTokenExistsException e) {
            op.fail(TYPED_REFUSAL);
        } catch (RuntimeException e) {
            raw(history, op, agent, e);
        }
    }

    private static void revoke(HistoryRecorder history, AgentTokenStore store, String agent) {
        HistoryRecorder.Pending op = history.invoke(REVOKE, agent);
        try {
            op.ok(Integer.toString(store.revoke(agent)));
        } catch (RuntimeException e) {
            raw(history, op, agent, e);
        }
    }

    /**
     * An untyped failure: its outcome is unknown (the Pass 1 store may have committed its revoke before failing). A
     * commit whose outcome is unknown (connection lost mid-commit) is a fault of the infrastructure, not of the store;
     * anything else is a raw error reaching the caller, recorded by class and SQLSTATE only (no message: it could
     * quote row values).
     */
    private static void raw(HistoryRecorder history, HistoryRecorder.Pending op, String agent, RuntimeException e) {
        op.info(e.getClass().getSimpleName());
        if (!(e instanceof CommitOutcomeUnknownException)) {
            String state = e instanceof DatabaseException d && d.sqlState() != null ? d.sqlState() : "-";
            history.invoke(RAW_ERROR, agent, e.getClass().getSimpleName(), state).ok(state);
        }
    }
}
