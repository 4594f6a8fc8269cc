package io.stresslab.stress.scenarios.kagent;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbKind;
import io.stresslab.core.kagent.Agent;
import io.stresslab.core.kagent.DeleteInsertTransactionToolRefresh;
import io.stresslab.core.kagent.KagentStore;
import io.stresslab.core.kagent.McpTool;
import io.stresslab.core.kagent.ServerLockedToolRefresh;
import io.stresslab.core.kagent.StatementByStatementToolRefresh;
import io.stresslab.core.kagent.ToolServer;
import io.stresslab.core.kagent.ToolSetRefresh;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Race;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.UserImplementations;
import io.stresslab.stress.harness.Tool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * KAGENT-2: replacing a server's tool set is torn. Database checks on H2 and PostgreSQL over real connections:
 * <ul>
 *   <li>{@code concurrent-refreshes}: rounds of 4 concurrent refreshes of one server, each with its own two-tool set,
 *       while a reader keeps reading the set. After each round the stored set must equal exactly one caller's set, and
 *       every read must be a complete set (the previous round's or a caller's) — never mixed, never empty.</li>
 *   <li>{@code concurrent-upserts}: 10 threads × 50 upserts of one agent and one tool server: one row each, no
 *       error (the authors' test).</li>
 * </ul>
 * Shown: statement-by-statement fails on both engines; the merged transactional delete+insert fails on PostgreSQL
 * READ COMMITTED (the union of two sets survives) and, measured, on H2 too (its MVStore DELETE does not see rows a
 * concurrent transaction committed after it started waiting); the server-row-locked refresh holds on both.
 */
public final class Kagent2Scenario implements Scenario, UserImplementations.Accepting {
    static final int WRITERS = 4;

    @Override
    public String bug() {
        return "KAGENT-2";
    }


    record Variant(String id, Function<KagentStore, ToolSetRefresh> create) {
    }

    static final Variant STATEMENTS = new Variant("statement-by-statement", StatementByStatementToolRefresh::new);
    static final Variant AS_MERGED = new Variant("transactional-delete-insert",
            DeleteInsertTransactionToolRefresh::new);
    static final Variant LOCKED = new Variant("server-row-locked", ServerLockedToolRefresh::new);

    /** The variant with {@code id} (or a user's class, {@code user:<class>}), for worker JVMs given it as a param. */
    static Variant variant(String id) {
        if (id.startsWith(UserImplementations.PREFIX)) {
            String cls = id.substring(UserImplementations.PREFIX.length());
            return new Variant(id, store -> UserImplementations.instantiate(cls, ToolSetRefresh.class, store,
                    store.database()));
        }
        return java.util.stream.Stream.of(STATEMENTS, AS_MERGED, LOCKED).filter(v -> v.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown KAGENT-2 variant '" + id + "'"));
    }

    @Override
    public Class<?> userInterface() {
        return ToolSetRefresh.class;
    }

    @Override
    public String constructors() {
        return "(KagentStore), (Database) or ()";
    }

    /** A user's {@link ToolSetRefresh} faces the after variant's checks: in-JVM races and worker JVMs with faults. */
    @Override
    public List<CheckSpec> checksFor(String className) {
        UserImplementations.load(className, ToolSetRefresh.class);
        Variant user = variant(UserImplementations.PREFIX + className);
        return List.of(
                refreshes(user, Expect.HOLD, Set.of(DbKind.H2, DbKind.POSTGRESQL)),
                CheckSpec.onDatabases(bug(), user.id(), Expect.HOLD, Tool.MULTI_WORKER, "worker-jvms-faults",
                        ctx -> ToolRefreshCampaign.run(ctx, user)));
    }

    @Override
    public List<CheckSpec> checks() {
        return List.of(
                refreshes(STATEMENTS, Expect.REPRODUCE, Set.of(DbKind.H2, DbKind.POSTGRESQL)),
                refreshes(AS_MERGED, Expect.REPRODUCE, Set.of(DbKind.H2, DbKind.POSTGRESQL)),
                refreshes(LOCKED, Expect.HOLD, Set.of(DbKind.H2, DbKind.POSTGRESQL)),
                CheckSpec.onDatabases(bug(), "single-statement-upsert", Expect.HOLD, Tool.DATABASE, "concurrent-upserts",
                        Kagent2Scenario::upserts),
                CheckSpec.onDatabases(bug(), AS_MERGED.id(), Expect.REPRODUCE, Tool.MULTI_WORKER, "worker-jvms-faults",
                        ctx -> ToolRefreshCampaign.run(ctx, AS_MERGED)),
                CheckSpec.onDatabases(bug(), LOCKED.id(), Expect.HOLD, Tool.MULTI_WORKER, "worker-jvms-faults",
                        ctx -> ToolRefreshCampaign.run(ctx, LOCKED)));
    }

    private CheckSpec refreshes(Variant v, Expect expect, Set<DbKind> dbs) {
        return new CheckSpec(bug(), v.id(), expect, Tool.DATABASE, "concurrent-refreshes", dbs,
                ctx -> concurrentRefreshes(ctx, v, expect));
    }

    private static Set<String> idsOf(List<McpTool> tools) {
        Set<String> s = new TreeSet<>();
        tools.forEach(t -> s.add(t.id()));
        return s;
    }

    private static List<McpTool> toolSet(int round, int writer) {
        return List.of(new McpTool("tool-a-" + round + "-" + writer, "a"), new McpTool("tool-b-" + round + "-" + writer,
                "b"));
    }

    private static Observation concurrentRefreshes(CheckContext ctx, Variant v, Expect expect) {
        int rounds = ctx.ops(40);
        try (Database db = ctx.openDatabase(); Race race = new Race("kagent2-refresh", WRITERS + 1)) {
            KagentStore store = new KagentStore(db);
            ToolSetRefresh refresh = v.create().apply(store);
            ToolServer server = new ToolServer("weather", ToolServer.REMOTE_MCP_GROUP_KIND, "remote MCP server");
            store.storeToolServer(server);
            List<McpTool> initial = toolSet(-1, 0);
            refresh.refresh(server, initial);
            Set<String> previous = idsOf(initial);

            int tornRounds = 0;
            int badReads = 0;
            long reads = 0;
            int refreshErrors = 0;
            int roundsRun = 0;
            Map<String, Object> firstTorn = null;
            List<String> badReadSamples = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                roundsRun++;
                List<Set<String>> callerSets = new ArrayList<>();
                List<Callable<Long>> tasks = new ArrayList<>();
                AtomicInteger writing = new AtomicInteger(WRITERS);
                for (int w = 0; w < WRITERS; w++) {
                    List<McpTool> set = toolSet(r, w);
                    callerSets.add(idsOf(set));
                    tasks.add(() -> {
                        try {
                            refresh.refresh(server, set);
                            return 1L;
                        } finally {
                            writing.decrementAndGet();
                        }
                    });
                }
                Set<Set<String>> complete = new HashSet<>(callerSets);
                complete.add(previous);
                ConcurrentLinkedQueue<Set<String>> torn = new ConcurrentLinkedQueue<>();
                tasks.add(() -> {
                    long n = 0;
                    do {
                        Set<String> seen = store.toolIds(server);
                        n++;
                        if (!complete.contains(seen)) {
                            torn.add(seen);
                        }
                    } while (writing.get() > 0);
                    return n;
                });
                Race.Round<Long> round = race.run(Duration.ofSeconds(60), tasks);
                if (round.timedOut()) {
                    return Observation.bugObserved("round " + r + " did not finish in 60 s")
                            .evidence("threadDump", round.dump().toEvidence("kagent2-"));
                }
                refreshErrors += round.errors().size();
                reads += round.values().get(WRITERS) == null ? 0 : round.values().get(WRITERS);
                badReads += torn.size();
                torn.stream().limit(5).forEach(s -> badReadSamples.add(s.toString()));
                Set<String> after = store.toolIds(server);
                boolean ok = callerSets.contains(after);
                if (!ok) {
                    tornRounds++;
                    if (firstTorn == null) {
                        firstTorn = new LinkedHashMap<>();
                        firstTorn.put("round", r);
                        firstTorn.put("storedToolIds", new ArrayList<>(after));
                        firstTorn.put("callerSets", callerSets.stream().map(Set::toString).toList());
                        if (!round.errors().isEmpty()) {
                            firstTorn.put("refreshErrors", round.errors().stream().map(Throwable::getMessage)
                                    .limit(3).toList());
                        }
                    }
                    // start the next round from one clean, complete set
                    new ServerLockedToolRefresh(store).refresh(server, toolSet(r, 0));
                    after = idsOf(toolSet(r, 0));
                }
                previous = after;
                boolean observedSoFar = tornRounds > 0 || badReads > 0 || refreshErrors > 0;
                if (expect == Expect.REPRODUCE && observedSoFar) {
                    break;
                }
            }
            boolean observed = tornRounds > 0 || badReads > 0 || refreshErrors > 0;
            String summary = String.format("%d of %d rounds (%d concurrent refreshes each) left a tool set that is no "
                            + "single caller's; %d of %d concurrent reads saw a mixed or empty set; %d refresh errors",
                    tornRounds, roundsRun, WRITERS, badReads, reads, refreshErrors);
            Observation o = Observation.of(observed, summary)
                    .operations((long) roundsRun * WRITERS + reads)
                    .metric("rounds", roundsRun)
                    .metric("tornRounds", tornRounds)
                    .metric("reads", reads)
                    .metric("mixedReads", badReads)
                    .metric("retries", db.retries());
            if (firstTorn != null) {
                o.evidence("rows", firstTorn);
            }
            if (!badReadSamples.isEmpty()) {
                o.evidence("mixedReadSamples", badReadSamples);
            }
            return o;
        }
    }

    private static Observation upserts(CheckContext ctx) {
        int threads = 10;
        int perThread = ctx.ops(50);
        try (Database db = ctx.openDatabase(); Race race = new Race("kagent2-upsert", threads)) {
            KagentStore store = new KagentStore(db);
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                tasks.add(() -> {
                    for (int i = 0; i < perThread; i++) {
                        store.storeAgent(new Agent("agent-1", "Declarative", "{\"v\":" + thread + i + "}"));
                        store.storeToolServer(new ToolServer("server-1", ToolServer.REMOTE_MCP_GROUP_KIND,
                                "v" + thread + "-" + i));
                    }
                    return perThread * 2;
                });
            }
            Race.Round<Integer> round = race.run(Duration.ofSeconds(120), tasks);
            int agents = store.countAgents();
            int servers = store.countToolServers("server-1", ToolServer.REMOTE_MCP_GROUP_KIND);
            List<Throwable> errors = round.errors();
            boolean observed = round.timedOut() || !errors.isEmpty() || agents != 1 || servers != 1;
            Observation o = Observation.of(observed, String.format(
                            "%d threads × %d upserts each of one agent and one tool server: %d agent row(s), %d "
                                    + "server row(s), %d errors", threads, perThread, agents, servers, errors.size()))
                    .operations((long) threads * perThread * 2);
            if (!errors.isEmpty()) {
                o.evidence("errors", errors.stream().map(Throwable::getMessage).limit(5).toList());
            }
            if (round.timedOut()) {
                o.evidence("threadDump", round.dump().toEvidence("kagent2-"));
            }
            return o;
        }
    }
}
