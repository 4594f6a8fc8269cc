package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.db.CommitOutcomeUnknownException;
import io.stresslab.core.db.Database;
import io.stresslab.core.db.DatabaseException;
import io.stresslab.core.taos.AddAgentService;
import io.stresslab.core.taos.IdempotencyException;
import io.stresslab.core.taos.SharedIdempotencyStore;
import io.stresslab.core.taos.StoredResponse;
import io.stresslab.stress.campaign.WorkerContext;
import io.stresslab.stress.campaign.Workload;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.history.HistoryRecorder;
import io.stresslab.stress.scenarios.Scenarios;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * TAOS-3 across worker JVMs: every worker sends "add agent" for the SAME keys in the same order. Thread {@code t} of
 * every worker serves lane {@code t}, whose keys are {@code t}, {@code t + lanes}, {@code t + 2·lanes}, …; the lane's
 * leader (worker {@code t mod workers}) sends each key at once, the other workers {@code followMillis} later, while the
 * leader's handler is still saving the agent's config ({@code saveMillis}): the retry that lands on another worker
 * mid-execution. Nobody moves to the next key before it has an answer, so the workers stay together key by key without
 * any clock; each key gets one caller per worker, and at every instant each worker leads a request in flight — a
 * kill -9 of any worker abandons a reservation.
 *
 * <p>Each request is recorded as {@code request(key-i, agent-i) → "status body"}; the side effects (agent rows) are
 * counted from the table by {@link SharedKeysCampaign}. The store under test is the campaign's variant, a
 * {@link io.stresslab.stress.harness.Subject#remoteId()} rebuilt here with lease {@code leaseMillis} on the real clock.
 */
public final class SharedKeysWorkload implements Workload {
    static final String FOLLOW_MILLIS = "followMillis";
    static final String SAVE_MILLIS = "saveMillis";
    static final String LEASE_MILLIS = "leaseMillis";
    static final String PRINCIPAL = "user";
    static final String REQUEST = "request";

    @Override
    public void run(WorkerContext ctx) throws Exception {
        Duration lease = ctx.millisParam(LEASE_MILLIS, Duration.ofSeconds(1));
        Subject<SharedIdempotencyStore> subject = Scenarios.remote("TAOS-3", SharedIdempotencyStore.class,
                ctx.variant("variant:database-reservation"));
        AddAgentService service = service(subject, ctx.database(), ctx.clock(), lease,
                ctx.millisParam(SAVE_MILLIS, Duration.ofMillis(60)));
        long follow = ctx.millisParam(FOLLOW_MILLIS, Duration.ofMillis(20)).toNanos();
        int lanes = ctx.threads();
        ctx.runThreads(Duration.ofSeconds(30), lane -> {
            boolean leader = lane % ctx.workers() == ctx.worker();
            for (long key = lane; ctx.nextOp(); key += lanes) {
                if (!leader) {
                    LockSupport.parkNanos(follow); // let the leader reserve first: we are the retry mid-execution
                }
                request(ctx.history(), service, key);
            }
        });
    }

    /**
     * The add-agent service over a fresh store of {@code subject} on {@code db}, its handler saving the config for
     * {@code save}, on the worker's application {@code clock}. A caller waits up to the lease plus 3 s for another
     * caller's execution, so the callers of a key whose owner was killed take it over after the lease.
     */
    static AddAgentService service(Subject<SharedIdempotencyStore> subject, Database db, Clock clock, Duration lease,
                                   Duration save) throws Exception {
        SharedIdempotencyStore store = subject.create(Env.of(db, clock, lease, IdempotencySteps.RETENTION));
        return new AddAgentService(db, store, clock, lease.plusSeconds(3), save);
    }

    /**
     * One recorded request for key {@code i}: OK with the response; FAIL when this caller certainly ran nothing that
     * committed (still in progress, a refused or rolled-back request); INFO when a commit's outcome is unknown.
     */
    static void request(HistoryRecorder history, AddAgentService service, long i) {
        HistoryRecorder.Pending op = history.invoke(REQUEST, key(i), name(i));
        try {
            StoredResponse r = service.addAgent(PRINCIPAL, key(i), name(i));
            op.ok(r.status() + " " + r.body());
        } catch (IdempotencyException | DatabaseException e) {
            if (hasCause(e, CommitOutcomeUnknownException.class)) {
                op.info(e.getClass().getSimpleName());
            } else {
                op.fail(e instanceof IdempotencyException ie ? ie.reason().name() : "database: " + e.getMessage());
            }
        }
    }

    static String key(long i) {
        return "key-" + i;
    }

    /** Agent names are unique per key: the agent rows named {@code agent-i} are key {@code i}'s side effects. */
    static String name(long i) {
        return "agent-" + i;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
