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
 * KAGENT-2's {@code concurrent-upserts}, the same for every {@link KagentUpserts}: rounds in which {@value #THREADS}
 * threads create one new agent and tool server key at once (the race a check-then-insert loses), after two sequential
 * upserts of one key (the second must win; if it does not, the check stops there), then the authors'
 * test ({@value #THREADS} threads upsert one key N times each), then one last sequential upsert. Judged: one row per
 * key, no error, and the agent row holds the last upsert's content. Stops creating keys at the first error.
 */
final class ConcurrentUpserts {
    static final int THREADS = 10;
    private static final Agent LAST = new Agent("hot", "Declarative", "{\"v\":\"last\"}");
    /** Upserted one after the other before any race: a store that keeps the first write is caught at once. */
    private static final List<Agent> SEQUENTIAL = List.of(new Agent("sequential", "Declarative", "{\"v\":\"first\"}"),
            new Agent("sequential", "Declarative", "{\"v\":\"second\"}"));

    private ConcurrentUpserts() {
    }

    record Seen(boolean raced, boolean hot, int creations, int perThread, int agentKeys, int agentRows, int serverKeys,
                int serverKeysWithOneRow, List<String> errors, boolean timedOut, boolean lastWins) {
    }

    static Seen run(CheckContext ctx, Subject<KagentUpserts> subject) throws Exception {
        int creations = ctx.ops(200);
        int perThread = ctx.ops(50);
        try (Database db = ctx.openDatabase(); Race race = new Race("kagent2-upsert", THREADS)) {
            KagentUpserts upserts = subject.create(Env.of(db));
            KagentStore rows = new KagentStore(db);
            List<String> errors = new ArrayList<>();
            boolean timedOut = false;
            int created = 0;
            lastWins(upserts, rows, SEQUENTIAL.get(0), errors);
            if (!lastWins(upserts, rows, SEQUENTIAL.get(1), errors)) { // the verdict is in: no race would change it
                int stored = rows.countAgents();
                return new Seen(false, false, 0, perThread, stored, stored, 0, 0, errors, false, false);
            }
            for (; created < creations && errors.isEmpty() && !timedOut; created++) { // every thread creates one key
                Race.Round<Integer> round = race.run(Duration.ofSeconds(30), tasks(upserts, "new-" + created, 1));
                timedOut = round.timedOut();
                round.errors().stream().map(String::valueOf).limit(5).forEach(errors::add);
            }
            boolean hot = errors.isEmpty() && !timedOut;
            if (hot) { // the authors' test: N upserts each of one hot key
                Race.Round<Integer> round = race.run(Duration.ofSeconds(120), tasks(upserts, "hot", perThread));
                timedOut = round.timedOut();
                round.errors().stream().map(String::valueOf).limit(5).forEach(errors::add);
            }
            boolean lastWins = lastWins(upserts, rows, LAST, errors);
            int serverKeys = created + (hot ? 1 : 0);
            int serversOk = 0;
            for (int k = 0; k < serverKeys; k++) {
                serversOk += rows.countToolServers(k < created ? "new-" + k : "hot", ToolServer.REMOTE_MCP_GROUP_KIND)
                        == 1 ? 1 : 0;
            }
            return new Seen(true, hot, created, perThread, created + 2, rows.countAgents(), serverKeys, serversOk,
                    errors, timedOut, lastWins);
        }
    }

    /**
     * One sequential upsert of {@code agent} over whatever its key holds: whether the row then holds it. An exception
     * is an error.
     */
    private static boolean lastWins(KagentUpserts upserts, KagentStore rows, Agent agent, List<String> errors) {
        try {
            upserts.storeAgent(agent);
            return rows.findAgent(agent.id()).filter(agent::equals).isPresent();
        } catch (RuntimeException e) {
            errors.add("the sequential upsert of " + agent.id() + " failed: " + e);
            return false;
        }
    }

    /** Each thread upserts agent {@code key} and server {@code key} {@code times} times, each with its own content. */
    private static List<Callable<Integer>> tasks(KagentUpserts upserts, String key, int times) {
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            tasks.add(() -> {
                for (int i = 0; i < times; i++) {
                    upserts.storeAgent(new Agent(key, "Declarative", "{\"v\":\"" + thread + "-" + i + "\"}"));
                    upserts.storeToolServer(new ToolServer(key, ToolServer.REMOTE_MCP_GROUP_KIND,
                            "v" + thread + "-" + i));
                }
                return times * 2;
            });
        }
        return tasks;
    }

    static Findings judge(Seen s) {
        return new Findings()
                .check(s.agentRows() != s.agentKeys() || s.serverKeysWithOneRow() != s.serverKeys(), "one-row-per-key",
                        () -> s.agentRows() + " agent rows for " + s.agentKeys() + " keys; " + s.serverKeysWithOneRow()
                                + " of " + s.serverKeys() + " server keys with exactly one row")
                .check(!s.errors().isEmpty() || s.timedOut(), "no-errors", () -> (s.timedOut()
                        ? "the upserts did not finish within 120 s; " : "") + String.join("; ", s.errors()))
                .check(!s.lastWins(), "last-write-wins", () -> "the agent row does not hold the last upsert");
    }

    static Observation describe(Seen s, Findings f) {
        String work = !s.raced() ? "two sequential upserts of one key (the second did not win: no race run)"
                : "two sequential upserts of one key, " + s.creations() + " keys created by " + THREADS
                        + " threads at once, then " + (s.hot() ? THREADS + " threads × " + s.perThread()
                        + " upserts each of one agent and one tool server" : "no hot-key round (stopped at an error)");
        return f.observe(work, "one row each, no error, the last upsert's content")
                .operations(2 + (long) THREADS * ((s.hot() ? s.perThread() : 0) + s.creations()) * 2);
    }
}
