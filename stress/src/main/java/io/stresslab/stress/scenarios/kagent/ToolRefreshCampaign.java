package io.stresslab.stress.scenarios.kagent;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import io.stresslab.core.kagent.KagentStore;
import io.stresslab.core.kagent.McpTool;
import io.stresslab.core.kagent.ServerLockedToolRefresh;
import io.stresslab.core.kagent.ToolServer;
import io.stresslab.stress.campaign.Campaign;
import io.stresslab.stress.campaign.CampaignResult;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.history.History;
import io.stresslab.stress.history.LinearizabilityChecker;
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
 * pg_terminate_backend of a worker's sessions; see {@link Campaign#builderFor}). The merged history is checked for linearizability against a register per server (a torn set is a value
 * no refresh wrote), and each server's final tool set must be one some refresh wrote.
 */
final class ToolRefreshCampaign {
    static final int SERVERS = 2;
    static final List<McpTool> INITIAL = List.of(new McpTool("initial-a", "a"), new McpTool("initial-b", "b"));

    private ToolRefreshCampaign() {
    }

    static Observation run(CheckContext ctx, Kagent2Scenario.Variant variant) {
        DbConfig cfg = Campaign.sharedConfig(ctx, "kagent2_" + variant.id());
        try (Database db = Database.open(cfg)) {
            KagentStore store = new KagentStore(db);
            for (int i = 0; i < SERVERS; i++) {
                ToolServer server = ToolRefreshWorkload.server(i);
                store.storeToolServer(server);
                new ServerLockedToolRefresh(store).refresh(server, INITIAL);
            }
            CampaignResult r = Campaign.run(Campaign.builderFor(ctx,
                            "kagent2-" + variant.id().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-"),
                            ToolRefreshWorkload.class, cfg, Duration.ofSeconds(3))
                    .threadsPerWorker(2)
                    .param(ToolRefreshWorkload.VARIANT, variant.id())
                    .param(ToolRefreshWorkload.SERVERS, Integer.toString(SERVERS))
                    .build());
            if (!r.allWorkersHealthy()) {
                throw new IllegalStateException("campaign workers failed: " + String.join("; ", r.unhealthyWorkers()));
            }
            History history = r.history();
            String initial = ToolRefreshWorkload.encodeTools(INITIAL);
            LinearizabilityChecker.Result lin = new LinearizabilityChecker<>(new RegisterModel(initial)).check(history);
            if (lin.verdict() == LinearizabilityChecker.Verdict.UNKNOWN) {
                throw new IllegalStateException("linearizability check ran out of budget: " + lin.describe());
            }
            List<String> tornFinals = new ArrayList<>();
            for (int i = 0; i < SERVERS; i++) {
                ToolServer server = ToolRefreshWorkload.server(i);
                Set<String> written = new HashSet<>(Set.of(initial));
                for (Op op : history.ops()) {
                    if (op.name().equals("write") && op.key().equals(server.name())
                            && op.status() != Op.Status.FAIL) {
                        written.add(op.arg(0));
                    }
                }
                String finalSet = ToolRefreshWorkload.encode(store.toolIds(server));
                if (!written.contains(finalSet)) {
                    tornFinals.add(server.name() + " ended with {" + finalSet + "}");
                }
            }
            boolean observed = !lin.linearizable() || !tornFinals.isEmpty();
            String summary = r.describe() + "; history " + (lin.linearizable() ? "linearizable" : "NOT linearizable")
                    + " (" + lin.ops() + " ops, " + lin.keys() + " servers, checked in " + lin.elapsed().toMillis()
                    + " ms); " + (tornFinals.isEmpty() ? "every final tool set is one a refresh wrote"
                    : String.join("; ", tornFinals));
            Observation o = r.addTo(Observation.of(observed, summary)).operations(history.size());
            if (!lin.linearizable()) {
                o.evidence("trace", lin.describe());
                LinearizabilityChecker.KeyResult bad = lin.notLinearizable().get(0);
                o.evidence("timeline", Timeline.write(r.dir(), "KAGENT-2 " + variant.id(), bad,
                        history.byKey().get(bad.key()), history::origin).toString());
            }
            if (!tornFinals.isEmpty()) {
                o.evidence("rows", tornFinals);
            }
            return o;
        }
    }
}
