package io.stresslab.stress.scenarios.kagent;

import io.stresslab.core.kagent.KagentStore;
import io.stresslab.core.kagent.McpTool;
import io.stresslab.core.kagent.ToolServer;
import io.stresslab.core.kagent.ToolSetRefresh;
import io.stresslab.stress.harness.Findings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The deterministic opening of KAGENT-2's {@code concurrent-refreshes}, the same for every refresh: one caller replaces
 * a server's set with an overlapping one, with the empty set, and again, while a second server's set must stay as it
 * was. Judged: after each refresh the stored sets are exactly what was asked.
 */
final class SequentialRefreshes {
    private static final ToolServer A = new ToolServer("server-a", ToolServer.REMOTE_MCP_GROUP_KIND, "a");
    private static final ToolServer B = new ToolServer("server-b", ToolServer.REMOTE_MCP_GROUP_KIND, "b");

    private SequentialRefreshes() {
    }

    /** Each step: what it did, the sets asked for A and B, and the sets stored afterwards. */
    record Step(String what, Set<String> wantA, Set<String> wantB, Set<String> gotA, Set<String> gotB) {
        boolean ok() {
            return wantA.equals(gotA) && wantB.equals(gotB);
        }
    }

    static List<Step> run(KagentStore store, ToolSetRefresh refresh) {
        List<Step> steps = new ArrayList<>();
        {
            store.storeToolServer(A);
            store.storeToolServer(B);
            String[][] plan = {{"B", "b1"}, {"A", "x", "y"}, {"A", "y", "z"}, {"A"}, {"A", "q"}, {"A", "q", "r"}};
            Set<String> wantA = Set.of();
            Set<String> wantB = Set.of();
            for (String[] p : plan) {
                List<McpTool> tools = new ArrayList<>();
                for (int i = 1; i < p.length; i++) {
                    tools.add(new McpTool(p[i], "tool " + p[i]));
                }
                Set<String> ids = new TreeSet<>(List.of(p).subList(1, p.length));
                refresh.refresh(p[0].equals("A") ? A : B, tools);
                wantA = p[0].equals("A") ? ids : wantA;
                wantB = p[0].equals("B") ? ids : wantB;
                steps.add(new Step("server-" + p[0].toLowerCase() + " ← " + ids, wantA, wantB, store.toolIds(A),
                        store.toolIds(B)));
            }
        }
        return steps;
    }

    static Findings judge(List<Step> steps) {
        Findings f = new Findings();
        steps.stream().filter(s -> !s.ok()).forEach(s -> f.add("replaces-exactly", "after " + s.what() + " stored "
                + "a=" + s.gotA() + " b=" + s.gotB() + ", expected a=" + s.wantA() + " b=" + s.wantB()));
        return f;
    }
}
