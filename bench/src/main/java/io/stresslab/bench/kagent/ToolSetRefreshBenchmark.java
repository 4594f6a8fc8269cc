package io.stresslab.bench.kagent;

import io.stresslab.bench.BenchDatabase;
import io.stresslab.core.db.Database;
import io.stresslab.core.kagent.DeleteInsertTransactionToolRefresh;
import io.stresslab.core.kagent.KagentStore;
import io.stresslab.core.kagent.McpTool;
import io.stresslab.core.kagent.ServerLockedToolRefresh;
import io.stresslab.core.kagent.StatementByStatementToolRefresh;
import io.stresslab.core.kagent.ToolServer;
import io.stresslab.core.kagent.ToolSetRefresh;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * KAGENT-2: tool-set refreshes per second of ONE server by 1, 2 or 4 threads (run with {@code -t 1,2,4}), for the
 * racy, as-merged and serialized variants. The {@code ceiling} is the serialized variant's statements with no
 * contention: each thread refreshes its own server.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class ToolSetRefreshBenchmark {
    @Param({"statement-by-statement", "transactional-delete-insert", "server-row-locked", "ceiling"})
    public String variant;

    @Param({"h2"})
    public String db;

    private Database database;
    private KagentStore store;
    private ToolSetRefresh refresh;
    private final AtomicInteger threadIds = new AtomicInteger();

    /** Each benchmark thread's server (shared for the contended variants, its own for the ceiling) and tool sets. */
    @State(Scope.Thread)
    public static class Caller {
        ToolServer server;
        List<List<McpTool>> sets;
        int next;

        @Setup(Level.Trial)
        public void setUp(ToolSetRefreshBenchmark bench) {
            int id = bench.threadIds.getAndIncrement();
            server = new ToolServer(bench.variant.equals("ceiling") ? "server-" + id : "shared",
                    ToolServer.REMOTE_MCP_GROUP_KIND, "bench");
            bench.store.storeToolServer(server);
            sets = List.of(
                    List.of(new McpTool("a-" + id, "a"), new McpTool("b-" + id, "b")),
                    List.of(new McpTool("c-" + id, "c"), new McpTool("d-" + id, "d")));
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        database = BenchDatabase.open(db, "bench_kagent2", 8);
        store = new KagentStore(database);
        refresh = switch (variant) {
            case "statement-by-statement" -> new StatementByStatementToolRefresh(store);
            case "transactional-delete-insert" -> new DeleteInsertTransactionToolRefresh(store);
            case "server-row-locked", "ceiling" -> new ServerLockedToolRefresh(store);
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    @Benchmark
    public void refresh(Caller caller) {
        refresh.refresh(caller.server, caller.sets.get(caller.next++ & 1));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        database.close();
    }
}
