package io.stresslab.core.kagent;

/** One tool a server exposes: {@code tools(id, server_name, group_kind, PK(all three))}. */
public record McpTool(String id, String description) {
    public McpTool {
        KagentStore.requireKey("tool id", id);
    }
}
