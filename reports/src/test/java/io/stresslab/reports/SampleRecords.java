package io.stresslab.reports;

import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.Tool;
import io.stresslab.stress.harness.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Realistic result records for the ten bugs, built with the real {@link CheckRecord} class. */
final class SampleRecords {
    static final String NASTY = "</pre><script>alert('x')</script> & \"quoted\" <b>bold</b>";

    private SampleRecords() {
    }

    static CheckRecord record(String bug, String variant, Expect expect, String db, Tool tool, String check,
                              Verdict verdict, String summary, long ops, long millis, Map<String, Object> metrics,
                              Map<String, Object> evidence) {
        return new CheckRecord(CheckRecord.SCHEMA, bug, variant, expect, db, tool, check, verdict, summary, null, ops,
                millis, "2026-11-24T20:10:00Z", "17.0.13+11", metrics, evidence);
    }

    static Map<String, Object> orderedMap(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Map<String, Object> latency(double p50, double p90, double p99, double max, long count) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", p50);
        m.put("p90", p90);
        m.put("p99", p99);
        m.put("max", max);
        m.put("count", count);
        m.put("unit", "ms");
        return m;
    }

    static Map<String, Object> threadDump() {
        Map<String, Object> td = new LinkedHashMap<>();
        td.put("takenAt", "2026-11-24T20:10:03.123Z");
        td.put("waitsFor", List.of("agent-worker (WAITING) waits for io.stresslab.core.concurrent.NonReentrantLock$Sync"
                + "@1b6d3586 held by mcp-worker (RUNNABLE at "
                + "java.base/sun.nio.ch.SocketDispatcher.read0(Native Method))"));
        td.put("deadlocked", List.of());
        td.put("dump", """
                Thread dump taken at 2026-11-24T20:10:03.123Z

                "agent-worker" #31 WAITING on io.stresslab.core.concurrent.NonReentrantLock$Sync@1b6d3586 owned by \
                "mcp-worker"
                \tat java.base@17/jdk.internal.misc.Unsafe.park(Native Method)
                \tat java.base@17/java.util.concurrent.locks.LockSupport.park(LockSupport.java:211)
                \tat io.stresslab.core.concurrent.NonReentrantLock.lock(NonReentrantLock.java:42)
                \tat io.stresslab.core.kagent.SharedLockReconcilers.upsertAgent(SharedLockReconcilers.java:57)

                "mcp-worker" #30 RUNNABLE
                \tat java.base@17/sun.nio.ch.SocketDispatcher.read0(Native Method)
                \tat io.stresslab.core.kagent.McpClient.listTools(McpClient.java:88)
                \tLocked ownable synchronizers:
                \t- io.stresslab.core.concurrent.NonReentrantLock$Sync@1b6d3586
                """);
        return td;
    }

    static final String TRACE = """
            = Invalid execution results =
            | ---------------------------------------------------- |
            |         Thread 1          |         Thread 2         |
            | ---------------------------------------------------- |
            | execute("k"): 1           | execute("k"): 2          |
            | ---------------------------------------------------- |
            The following interleaving leads to the error:
            | execute("k")                          |                                 |
            |   cache.get("k"): null                |                                 |
            |   switch                              |                                 |
            |                                       | execute("k"): 2                 |
            |   createAgent(): 1                    |                                 |
            |   cache.set("k", 1)                   |                                 |
            |   result: 1                           |                                 |
            """;

    /** Two passing records (before reproduced, after held) per bug and tool, like a green build. */
    static List<CheckRecord> allPassing() {
        List<CheckRecord> out = new ArrayList<>();
        out.add(record("KAGENT-1", "shared-upsert-lock", Expect.REPRODUCE, "h2", Tool.LIVENESS, "agent-starved-by-mcp",
                Verdict.REPRODUCED, "agent upsert blocked 1,000 ms behind a hung listTools; 0 of 5 agents stored",
                5, 1_240, Map.of("agentUpsertLatency", latency(203.1, 212.4, 219.8, 1000.0, 50)),
                Map.of("threadDump", threadDump())));
        out.add(record("KAGENT-1", "io-outside-lock", Expect.HOLD, "h2", Tool.LIVENESS, "agent-starved-by-mcp",
                Verdict.HELD, "5 of 5 agents stored while the remote server hung; p99 upsert 3.1 ms", 5, 380,
                Map.of("agentUpsertLatency", latency(1.2, 2.0, 3.1, 4.4, 50)), Map.of()));
        for (String db : List.of("h2", "postgresql")) {
            boolean pg = db.equals("postgresql");
            out.add(record("KAGENT-2", "transactional-delete-insert", Expect.REPRODUCE, db, Tool.DATABASE,
                    "overlapping-refreshes", pg ? Verdict.REPRODUCED : Verdict.SKIPPED,
                    pg ? "4 tools left after 2 overlapping refreshes of 2 tools each (the union)"
                            : "H2 serializes the delete; this reproduction is PostgreSQL-only", pg ? 40 : 0, 420,
                    Map.of("rounds", 20),
                    pg ? Map.of("rows", List.of(
                            Map.of("server_name", "srv", "id", "tool-a-1", "group_kind", "RemoteMCPServer"),
                            Map.of("server_name", "srv", "id", "tool-b-1", "group_kind", "RemoteMCPServer"),
                            Map.of("server_name", "srv", "id", "tool-a-2", "group_kind", "RemoteMCPServer"),
                            Map.of("server_name", "srv", "id", "tool-b-2", "group_kind", "RemoteMCPServer")))
                            : Map.of()));
            out.add(record("KAGENT-2", "locked-replacement", Expect.HOLD, db, Tool.DATABASE, "overlapping-refreshes",
                    Verdict.HELD, "exactly 2 tools after 10 concurrent refreshes × 20 rounds", 200, 900, Map.of(),
                    Map.of()));
        }
        out.add(record("MOLECULE-1", "gate-returns-first", Expect.REPRODUCE, "none", Tool.LIVENESS, "closed-loop",
                Verdict.REPRODUCED, "status failed after 20 heartbeats; reconcile fired 0 times (no thread blocked)",
                20, 35, Map.of("fires", 0), Map.of()));
        out.add(record("MOLECULE-1", "recovery-reconcile", Expect.HOLD, "none", Tool.LIVENESS, "closed-loop",
                Verdict.HELD, "online 2 heartbeats after the reconcile finished", 20, 31, Map.of("fires", 1),
                Map.of()));
        out.add(record("MOLECULE-2", "load-then-store", Expect.REPRODUCE, "none", Tool.JCSTRESS, "cooldown-race",
                Verdict.REPRODUCED, "forbidden outcome (2 fires) seen 1,204 times in 3.1M samples", 3_100_000, 22_000,
                Map.of("samples", 3_100_000, "twoOwnerSamples", 1_204),
                Map.of("outcomes", "1, 1  ACCEPTABLE  3,098,796\n2, 2  FORBIDDEN  1,204",
                        "htmlReport", "target/jcstress-report-does-not-exist/index.html")));
        out.add(record("MOLECULE-2", "load-then-store", Expect.REPRODUCE, "none", Tool.LINCHECK, "cooldown-gate",
                Verdict.REPRODUCED, "Lincheck found 2 fires in one window", 1_000, 1_100, Map.of(),
                Map.of("trace", TRACE)));
        out.add(record("MOLECULE-2", "atomic-cooldown", Expect.HOLD, "none", Tool.LINCHECK, "cooldown-gate",
                Verdict.HELD, "linearizable over 20 × 1,000 invocations", 20_000, 11_000, Map.of(), Map.of()));
        out.add(record("ARCHON-1", "blocking-lock-on-loop", Expect.REPRODUCE, "none", Tool.LIVENESS,
                "sessions-during-init", Verdict.REPRODUCED, "event loop frozen: 0 of 20 sessions ready after 2 s",
                20, 2_050, Map.of(), Map.of("threadDump", threadDump())));
        out.add(record("ARCHON-1", "async-lock", Expect.HOLD, "none", Tool.LIVENESS, "sessions-during-init",
                Verdict.HELD, "20 of 20 sessions ready in 212 ms; init ran once", 20, 230,
                Map.of("sessionReady", latency(150, 190, 210, 212, 20)), Map.of()));
        out.add(record("ORCH-1", "reentrant-call-chain", Expect.REPRODUCE, "h2", Tool.LIVENESS, "complete-last",
                Verdict.REPRODUCED, "completeSubtask hung > 1 s (self-wait on the state lock)", 1, 1_020,
                Map.of(), Map.of("threadDump", threadDump())));
        out.add(record("ORCH-1", "lock-free-helpers", Expect.HOLD, "h2", Tool.LIVENESS, "complete-last",
                Verdict.HELD, "completed in 4 ms; parent archived once", 1, 4, Map.of(), Map.of()));
        out.add(record("ORCH-2", "lock-rows-forever", Expect.REPRODUCE, "postgresql", Tool.MULTI_WORKER,
                "crashed-owner", Verdict.REPRODUCED, "lock never released after the owner was killed", 3, 3_500,
                Map.of(), Map.of()));
        out.add(record("ORCH-2", "fenced-lease", Expect.HOLD, "postgresql", Tool.MULTI_WORKER, "crashed-owner",
                Verdict.HELD, "lease reclaimed after 1 s TTL; stale write rejected; 0 overlaps over 400 sections",
                400, 6_200, orderedMap("reclaimed", true, "lockWaitCount", 400, "lockWaitP50Ms", 3.1,
                        "lockWaitP90Ms", 12.5, "lockWaitP99Ms", 40.2, "lockWaitMaxMs", 80.0, "reclaimMs", 1_004.2),
                Map.of()));
        out.add(record("TAOS-1", "get-then-set", Expect.REPRODUCE, "none", Tool.LINCHECK, "idempotent-create",
                Verdict.REPRODUCED, "two agents created for one key", 2, 900, Map.of(), Map.of("lincheck", TRACE)));
        out.add(record("TAOS-1", "atomic-reservation", Expect.HOLD, "none", Tool.LINCHECK, "idempotent-create",
                Verdict.HELD, "linearizable over 20 × 1,000 invocations", 20_000, 10_500, Map.of(), Map.of()));
        out.add(record("TAOS-2", "process-local-lock", Expect.REPRODUCE, "postgresql", Tool.DATABASE,
                "concurrent-rotate", Verdict.REPRODUCED, "2 active tokens for agent a-1", 8, 300, Map.of(),
                Map.of("rows", List.of(List.of(1, "a-1", "2026-11-24T20:10:00Z", "null"),
                        List.of(2, "a-1", "2026-11-24T20:10:00Z", "null")))));
        out.add(record("TAOS-2", "database-serialized", Expect.HOLD, "postgresql", Tool.DATABASE,
                "concurrent-rotate", Verdict.HELD, "≤ 1 active token over 200 rotations × 4 workers", 800, 2_100,
                Map.of(), Map.of()));
        out.add(record("TAOS-3", "per-worker-cache", Expect.REPRODUCE, "postgresql", Tool.MULTI_WORKER,
                "cross-process-retry", Verdict.REPRODUCED, "side effect ran 2 times for 1 key across 2 JVMs", 2,
                4_100, Map.of(), Map.of()));
        out.add(record("TAOS-3", "database-reservation", Expect.HOLD, "postgresql", Tool.MULTI_WORKER,
                "cross-process-retry", Verdict.HELD, "exactly once per key over 100 keys × 3 JVMs", 300, 5_300,
                Map.of(), Map.of()));
        return out;
    }

    /** Failing records: a fix violated, a reproduction lost, and a check that crashed. */
    static List<CheckRecord> failing() {
        List<CheckRecord> out = new ArrayList<>(allPassing());
        out.add(record("KAGENT-2", "transactional-delete-insert", Expect.REPRODUCE, "postgresql", Tool.MULTI_WORKER,
                "two-controllers", Verdict.NOT_REPRODUCED, "0 torn sets over 50 rounds " + NASTY, 50, 800, Map.of(),
                Map.of()));
        out.add(record("TAOS-1", "atomic-reservation", Expect.HOLD, "none", Tool.LIVENESS, "owner-dies",
                Verdict.VIOLATED, "waiters stranded: 3 of 4 timed out", 4, 1_000, Map.of(), Map.of()));
        out.add(record("ORCH-2", "fenced-lease", Expect.HOLD, "h2", Tool.DATABASE, "stale-write",
                Verdict.ERROR, "check failed to run: IllegalStateException: pool closed", 0, 12, Map.of(),
                Map.of("exception", "java.lang.IllegalStateException: pool closed\n\tat io.stresslab.X.y(X.java:1)")));
        return out;
    }
}
