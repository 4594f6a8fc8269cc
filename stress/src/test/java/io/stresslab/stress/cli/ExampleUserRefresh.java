package io.stresslab.stress.cli;

import io.stresslab.core.kagent.KagentStore;
import io.stresslab.core.kagent.McpTool;
import io.stresslab.core.kagent.ServerLockedToolRefresh;
import io.stresslab.core.kagent.ToolServer;
import io.stresslab.core.kagent.ToolSetRefresh;
import java.util.List;

/** A "team's own" ToolSetRefresh for the --impl test: it delegates to the correct, server-locked refresh. */
public class ExampleUserRefresh implements ToolSetRefresh {
    private final ToolSetRefresh delegate;

    public ExampleUserRefresh(KagentStore store) {
        this.delegate = new ServerLockedToolRefresh(store);
    }


    @Override
    public void refresh(ToolServer server, List<McpTool> tools) {
        delegate.refresh(server, tools);
    }
}
