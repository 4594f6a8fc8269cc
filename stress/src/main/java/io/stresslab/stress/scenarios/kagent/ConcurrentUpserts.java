package io.stresslab.stress.scenarios.kagent;

import io.stresslab.core.db.Database;
import io.stresslab.core.kagent.Agent;
import io.stresslab.core.kagent.KagentStore;
import io.stresslab.core.kagent.KagentUpserts;
import io.stresslab.core.kagent.ToolServer;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Race;
import io.stresslab.stress.harness.Subject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * KAGENT-2's {@code concurrent-upserts} (the authors' test), the same for every {@link KagentUpserts}: {@value #THREADS}
 * threads upsert one agent and one tool server N times each, then one last sequential upsert. Judged: one row each,
 * no error, and the agent row holds the last upsert's content.
 */
final class ConcurrentUpserts {
    static final int THREADS = 10;
    private static final Agent LAST = new Agent("agent-1", "Declarative", "{\"v\":\"last\"}");

    private ConcurrentUpserts() {
    }

    record Seen(int perThread, int agentRows, int serverRows, List<String> errors, boolean timedOut,
                boolean lastWins) {
    }

    static Seen run(CheckContext ctx, Subject<KagentUpserts> subject) throws Exception {
        int perThread = ctx.ops(50);
        try (Database db = ctx.openDatabase(); Race race = new Race("kagent2-upsert", THREADS)) {
            KagentUpserts upserts = subject.create(Env.of(db));
            KagentStore rows = new KagentStore(db);
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                tasks.add(() -> {
                    for (int i = 0; i < perThread; i++) {
                        upserts.storeAgent(new Agent("agent-1", "Declarative", "{\"v\":" + thread + i + "}"));
                        upserts.storeToolServer(new ToolServer("server-1", ToolServer.REMOTE_MCP_GROUP_KIND,
                                "v" + thread + "-" + i));
                    }
                    return perThread * 2;
                });
            }
            Race.Round<Integer> round = race.run(Duration.ofSeconds(120), tasks);
            List<String> errors = new ArrayList<>(round.errors().stream().map(String::valueOf).limit(5).toList());
            boolean lastWins = false;
            try {
                upserts.storeAgent(LAST);
                lastWins = rows.findAgent("agent-1").filter(LAST::equals).isPresent();
            } catch (RuntimeException e) {
                errors.add("the sequential upsert failed: " + e);
            }
            return new Seen(perThread, rows.countAgents(), rows.countToolServers("server-1",
                    ToolServer.REMOTE_MCP_GROUP_KIND), errors, round.timedOut(), lastWins);
        }
    }

    static Findings judge(Seen s) {
        return new Findings()
                .check(s.agentRows() != 1 || s.serverRows() != 1, "one-row-per-key",
                        () -> s.agentRows() + " agent row(s), " + s.serverRows() + " server row(s) for one key each")
                .check(!s.errors().isEmpty() || s.timedOut(), "no-errors", () -> (s.timedOut()
                        ? "the upserts did not finish within 120 s; " : "") + String.join("; ", s.errors()))
                .check(!s.lastWins(), "last-write-wins", () -> "the agent row does not hold the last upsert");
    }

    static Observation describe(Seen s, Findings f) {
        return f.observe(THREADS + " threads × " + s.perThread() + " upserts each of one agent and one tool server",
                        "one row each, no error, the last upsert's content")
                .operations((long) THREADS * s.perThread() * 2);
    }
}
