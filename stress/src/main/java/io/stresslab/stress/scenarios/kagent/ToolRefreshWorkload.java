package io.stresslab.stress.scenarios.kagent;

import io.stresslab.core.db.CommitOutcomeUnknownException;
import io.stresslab.core.db.DatabaseException;
import io.stresslab.core.kagent.DeleteInsertTransactionToolRefresh;
import io.stresslab.core.kagent.KagentStore;
import io.stresslab.core.kagent.McpTool;
import io.stresslab.core.kagent.ServerLockedToolRefresh;
import io.stresslab.core.kagent.ToolServer;
import io.stresslab.core.kagent.ToolSetRefresh;
import io.stresslab.stress.campaign.WorkerContext;
import io.stresslab.stress.campaign.Workload;
import io.stresslab.stress.harness.Env;
import io.stresslab.stress.history.HistoryRecorder;
import io.stresslab.stress.scenarios.Scenarios;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * KAGENT-2 across worker JVMs: every worker thread refreshes a shared server's tool set with a set of its own, or
 * reads the set back. The history treats a server's tool set as a register: a refresh is {@code write(set)}, a read
 * is {@code read → set}; a torn replacement shows as a read (or a final state) no write ever produced, which the
 * linearizability checker rejects. Parameter {@code variant}: the subject's {@code Subject.remoteId()}.
 */
public final class ToolRefreshWorkload implements Workload {
    static final String SERVERS = "servers";
    /** A whole set of one caller, as {@link #encode} writes it: {@code <prefix>-a,<prefix>-b}. */
    private static final Pattern WHOLE_SET = Pattern.compile("(w\\d+-t\\d+-\\d+)-a,\\1-b");

    @Override
    public void run(WorkerContext ctx) throws Exception {
        KagentStore store = new KagentStore(ctx.database());
        ToolSetRefresh refresh = Scenarios.remote(Kagent2Scenario.BUG, ToolSetRefresh.class,
                ctx.variant("variant:server-row-locked")).create(Env.of(store, store.database()));
        // our transactional variants roll back on failure; anything else (a user's class included) may have applied
        // part, so its failed refresh is recorded with an unknown outcome
        boolean atomic = refresh instanceof DeleteInsertTransactionToolRefresh
                || refresh instanceof ServerLockedToolRefresh;
        int servers = ctx.intParam(SERVERS, 2);
        ctx.runThreads(Duration.ofSeconds(30), t -> {
            SplittableRandom rnd = ctx.random(t);
            long n = 0;
            while (ctx.nextOp()) {
                ToolServer server = server(rnd.nextInt(servers));
                if (rnd.nextInt(4) == 0) {
                    HistoryRecorder.Pending op = ctx.history().invoke("read", server.name());
                    try {
                        op.ok(encode(store.toolIds(server)));
                    } catch (DatabaseException e) {
                        op.fail(e.getMessage());
                    }
                    continue;
                }
                write(ctx, refresh, atomic, server, tools("w" + ctx.worker() + "-t" + t + "-" + n++));
            }
        });
    }

    /** One refresh as a register write: ok, failed (a rolled-back transaction of ours) or of unknown outcome. */
    private static void write(WorkerContext ctx, ToolSetRefresh refresh, boolean atomic, ToolServer server,
                              List<McpTool> tools) {
        HistoryRecorder.Pending op = ctx.history().invoke("write", server.name(), encodeTools(tools));
        try {
            refresh.refresh(server, tools);
            op.ok("");
        } catch (CommitOutcomeUnknownException e) {
            op.info(e.getMessage());
        } catch (DatabaseException e) {
            // a rolled-back transaction had no effect; a failed statement-by-statement refresh may have applied
            // part of its statements, so its outcome is unknown
            if (atomic) {
                op.fail(e.getMessage());
            } else {
                op.info(e.getMessage());
            }
        } catch (RuntimeException e) { // a user's class may fail in its own way: the outcome is unknown
            op.info(String.valueOf(e));
        }
    }

    /** The set one refresh writes: two tools named after the caller's unique prefix. */
    static List<McpTool> tools(String prefix) {
        return List.of(new McpTool(prefix + "-a", "a"), new McpTool(prefix + "-b", "b"));
    }

    /**
     * Whether a read value could be a whole set some refresh wrote: {@code initial}, or both tools of one caller's
     * {@link #tools} and nothing else. A union, a half or an empty set never is.
     */
    static boolean wholeSet(String value, String initial) {
        return value.equals(initial) || WHOLE_SET.matcher(value).matches();
    }

    static ToolServer server(int i) {
        return new ToolServer("server-" + i, ToolServer.REMOTE_MCP_GROUP_KIND, "shared by every worker");
    }

    /** A tool set as one register value: its sorted ids joined by commas. */
    static String encode(Set<String> ids) {
        return String.join(",", ids);
    }

    static String encodeTools(List<McpTool> tools) {
        return encode(new java.util.TreeSet<>(tools.stream().map(McpTool::id).toList()));
    }
}
