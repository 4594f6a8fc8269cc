package io.stresslab.stress.scenarios.kagent;

import io.stresslab.core.db.Database;
import io.stresslab.core.kagent.KagentStore;
import io.stresslab.core.kagent.McpTool;
import io.stresslab.core.kagent.ServerLockedToolRefresh;
import io.stresslab.core.kagent.ToolServer;
import io.stresslab.core.kagent.ToolSetRefresh;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Race;
import io.stresslab.stress.harness.Subject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * KAGENT-2's {@code concurrent-refreshes}, the same for every refresh: the {@link SequentialRefreshes} steps, then
 * rounds of {@value #WRITERS} concurrent refreshes of one server, each with its own two-tool set, while a reader keeps
 * reading the set. Judged: each step stored exactly what was asked; after each round the stored set is exactly one
 * caller's; every read is a complete set (the previous round's or a caller's); no refresh
 * failed. Stops at the first round that shows one.
 */
final class ConcurrentRefreshes {
    static final int WRITERS = 4;
    private static final Duration ROUND_DEADLINE = Duration.ofSeconds(60);
    private static final ToolServer SERVER = new ToolServer("weather", ToolServer.REMOTE_MCP_GROUP_KIND, "remote");

    private ConcurrentRefreshes() {
    }

    /** What one round showed; {@code stored} is null when the round hung. */
    record RoundSeen(int round, List<Set<String>> callerSets, Set<String> stored, List<Set<String>> mixedReads,
                     long reads, List<String> errors, String hang) {
    }

    record Seen(List<SequentialRefreshes.Step> steps, int planned, List<RoundSeen> rounds) {
    }

    static Seen run(CheckContext ctx, Subject<ToolSetRefresh> subject) throws Exception {
        int planned = ctx.ops(40);
        List<RoundSeen> rounds = new ArrayList<>();
        List<SequentialRefreshes.Step> steps;
        try (Database db = ctx.openDatabase(); Race race = new Race("kagent2-refresh", WRITERS + 1)) {
            KagentStore store = new KagentStore(db);
            ToolSetRefresh refresh = subject.create(Env.of(store, db));
            steps = SequentialRefreshes.run(store, refresh);
            store.storeToolServer(SERVER);
            ToolSetRefresh reset = new ServerLockedToolRefresh(store);
            reset.refresh(SERVER, toolSet(-1, 0));
            Set<String> previous = ids(toolSet(-1, 0));
            for (int r = 0; r < planned; r++) {
                RoundSeen seen = round(race, store, refresh, r, previous);
                rounds.add(seen);
                if (seen.hang() != null || !judgeRound(seen).isEmpty()) {
                    break; // stop at the first sighting
                }
                previous = seen.stored();
            }
        }
        return new Seen(steps, planned, rounds);
    }

    private static RoundSeen round(Race race, KagentStore store, ToolSetRefresh refresh, int r, Set<String> previous)
            throws Exception {
        List<Set<String>> callerSets = new ArrayList<>();
        List<Callable<Long>> tasks = new ArrayList<>();
        AtomicInteger writing = new AtomicInteger(WRITERS);
        for (int w = 0; w < WRITERS; w++) {
            List<McpTool> set = toolSet(r, w);
            callerSets.add(ids(set));
            tasks.add(() -> {
                try {
                    refresh.refresh(SERVER, set);
                    return 0L;
                } finally {
                    writing.decrementAndGet();
                }
            });
        }
        Set<Set<String>> complete = new HashSet<>(callerSets);
        complete.add(previous);
        ConcurrentLinkedQueue<Set<String>> mixed = new ConcurrentLinkedQueue<>();
        tasks.add(() -> {
            long n = 0;
            do {
                Set<String> read = store.toolIds(SERVER);
                n++;
                if (!complete.contains(read)) {
                    mixed.add(read);
                }
            } while (writing.get() > 0);
            return n;
        });
        var round = race.run(ROUND_DEADLINE, tasks);
        if (round.timedOut()) {
            return new RoundSeen(r, callerSets, null, List.of(), 0, List.of(), round.dump().render("kagent2-"));
        }
        Long reads = round.values().get(WRITERS);
        return new RoundSeen(r, callerSets, store.toolIds(SERVER), List.copyOf(mixed), reads == null ? 0 : reads,
                round.errors().stream().map(String::valueOf).toList(), null);
    }

    private static List<String> judgeRound(RoundSeen s) {
        List<String> wrong = new ArrayList<>();
        if (!s.callerSets().contains(s.stored())) {
            wrong.add("one-callers-set");
        }
        if (!s.mixedReads().isEmpty()) {
            wrong.add("readers-see-whole-sets");
        }
        if (!s.errors().isEmpty()) {
            wrong.add("no-errors");
        }
        return wrong;
    }

    static Findings judge(Seen s) {
        Findings f = SequentialRefreshes.judge(s.steps());
        for (RoundSeen r : s.rounds()) {
            f.check(r.hang() != null, "no-errors", () -> "round " + r.round() + " did not finish within "
                    + ROUND_DEADLINE.toSeconds() + " s");
            if (r.hang() == null) {
                f.check(!r.callerSets().contains(r.stored()), "one-callers-set", () -> "round " + r.round()
                                + " left " + r.stored() + ", no caller's set of " + r.callerSets())
                        .check(!r.mixedReads().isEmpty(), "readers-see-whole-sets", () -> r.mixedReads().size()
                                + " of " + r.reads() + " reads in round " + r.round() + " saw a mixed or empty set,"
                                + " e.g. " + r.mixedReads().get(0))
                        .check(!r.errors().isEmpty(), "no-errors", () -> r.errors().size() + " refreshes failed in"
                                + " round " + r.round() + ", e.g. " + r.errors().get(0));
            }
        }
        return f;
    }

    static Observation describe(Seen s, Findings f) {
        long reads = s.rounds().stream().mapToLong(RoundSeen::reads).sum();
        Observation o = f.observe(s.steps().size() + " sequential refreshes of two servers (overlapping sets, the"
                        + " empty set), then " + s.rounds().size() + " of " + s.planned() + " rounds of " + WRITERS
                        + " concurrent refreshes of one server with a reader (" + reads + " reads)",
                "every set as asked, every round left one caller's set, every read a whole set, no error")
                .operations((long) s.rounds().size() * WRITERS + reads)
                .metric("rounds", s.rounds().size())
                .metric("reads", reads);
        s.rounds().stream().filter(r -> r.hang() != null).findFirst()
                .ifPresent(r -> o.evidence("threadDump", r.hang()));
        return o;
    }

    static List<McpTool> toolSet(int round, int writer) {
        return List.of(new McpTool("tool-a-" + round + "-" + writer, "a"),
                new McpTool("tool-b-" + round + "-" + writer, "b"));
    }

    static Set<String> ids(List<McpTool> tools) {
        Set<String> s = new TreeSet<>();
        tools.forEach(t -> s.add(t.id()));
        return s;
    }
}
