package io.stresslab.stress.scenarios.kagent;

import io.stresslab.core.kagent.KagentStore;
import io.stresslab.core.kagent.McpTool;
import io.stresslab.core.kagent.ServerLockedToolRefresh;
import io.stresslab.core.kagent.ToolServer;
import io.stresslab.core.kagent.ToolSetRefresh;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.campaign.MultiWorker;
import io.stresslab.stress.campaign.CampaignResult;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.history.History;
import io.stresslab.stress.history.LinearizabilityChecker;
import io.stresslab.stress.history.LiveUnwrittenRead;
import io.stresslab.stress.history.Op;
import io.stresslab.stress.history.RegisterModel;
import io.stresslab.stress.history.Timeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * KAGENT-2 across worker JVMs (3 × 2 threads by default) sharing one database, with the run's faults on (by default:
 * one worker killed with kill -9 mid-run, 5 % of commits failed with injected 40001/40P01, and on PostgreSQL one
 * pg_terminate_backend of a worker's sessions; see {@link Campaign#builderFor}). The merged history is checked for
 * linearizability against a register per server (a torn set is a value no refresh wrote), and each server's final
 * tool set must be one some refresh wrote. While the run goes on, a live judge ({@link LiveUnwrittenRead}) stops the
 * workers at the first read of a set no refresh could have written (a union, a half, an empty set).
 */
final class ToolRefreshCampaign {
    static final int SERVERS = 2;
    static final List<McpTool> INITIAL = List.of(new McpTool("initial-a", "a"), new McpTool("initial-b", "b"));

    private ToolRefreshCampaign() {
    }

    static Observation run(CheckContext ctx, Subject<ToolSetRefresh> subject) throws Exception {
        return MultiWorker.run(ctx, "kagent2-refresh", ToolRefreshWorkload.class, 2, Duration.ofSeconds(3),
                (db, spec) -> {
                    KagentStore store = new KagentStore(db);
                    for (int i = 0; i < SERVERS; i++) {
                        store.storeToolServer(ToolRefreshWorkload.server(i));
                        new ServerLockedToolRefresh(store).refresh(ToolRefreshWorkload.server(i), INITIAL);
                    }
                    String initial = ToolRefreshWorkload.encodeTools(INITIAL);
                    spec.variant(subject.remoteId()).param(ToolRefreshWorkload.SERVERS, SERVERS)
                            .liveJudge(() -> new LiveUnwrittenRead("readers-see-whole-sets", "read",
                                    v -> ToolRefreshWorkload.wholeSet(v, initial)));
                    return null;
                }, (db, r) -> describe(r, judge(new KagentStore(db), r.history())));
    }

    /** What the judge saw: the linearizability verdict over the register per server, and torn final sets. */
    record Judged(LinearizabilityChecker.Result lin, List<String> tornFinals, Findings findings) {
    }

    /** Every read returns a set some refresh wrote (linearizable per server), and so does every final set. */
    static Judged judge(KagentStore store, History history) {
        String initial = ToolRefreshWorkload.encodeTools(INITIAL);
        // writes that came back (a worker stopped at a live violation leaves its writes in flight, never completed)
        List<Op> writes = history.ops().stream().filter(op -> op.name().equals("write")
                && op.completeNanos() != Op.NEVER).toList();
        if (!writes.isEmpty() && writes.stream().noneMatch(op -> op.status() == Op.Status.OK)) {
            Findings none = new Findings().add("no-errors", "every one of " + writes.size() + " refreshes failed, e.g. "
                    + writes.get(0));
            return new Judged(null, List.of(), none);
        }
        LinearizabilityChecker.Result lin = new LinearizabilityChecker<>(new RegisterModel(initial)).check(history);
        if (lin.verdict() == LinearizabilityChecker.Verdict.UNKNOWN) {
            throw new IllegalStateException("linearizability check ran out of budget: " + lin.describe());
        }
        List<String> tornFinals = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            ToolServer server = ToolRefreshWorkload.server(i);
            Set<String> written = new HashSet<>(Set.of(initial));
            history.ops().stream().filter(op -> op.name().equals("write") && op.key().equals(server.name())
                    && op.status() != Op.Status.FAIL).forEach(op -> written.add(op.arg(0)));
            String finalSet = ToolRefreshWorkload.encode(store.toolIds(server));
            if (!written.contains(finalSet)) {
                tornFinals.add(server.name() + " ended with {" + finalSet + "}");
            }
        }
        Findings f = new Findings()
                .check(!lin.linearizable(), "readers-see-whole-sets",
                        () -> "history NOT linearizable (" + lin.ops() + " ops, " + lin.keys() + " servers)")
                .check(!tornFinals.isEmpty(), "one-callers-set, failure-is-atomic",
                        () -> String.join("; ", tornFinals));
        return new Judged(lin, tornFinals, f);
    }

    private static Observation describe(CampaignResult r, Judged j) {
        if (j.lin() == null) {
            return j.findings().observe(r.describe(), "").operations(r.history().size());
        }
        Observation o = j.findings().observe(r.describe() + "; history checked in " + j.lin().elapsed().toMillis()
                        + " ms", "history linearizable (" + j.lin().ops() + " ops, " + j.lin().keys()
                        + " servers), every final tool set is one a refresh wrote")
                .operations(r.history().size());
        if (!j.lin().linearizable()) {
            o.evidence("trace", j.lin().describe());
            LinearizabilityChecker.KeyResult bad = j.lin().notLinearizable().get(0);
            o.evidence("timeline", Timeline.write(r.dir(), "KAGENT-2 " + r.name(), bad,
                    r.history().byKey().get(bad.key()), r.history()::origin).toString());
        }
        if (!j.tornFinals().isEmpty()) {
            o.evidence("rows", j.tornFinals());
        }
        return o;
    }
}
