package io.stresslab.core.kagent;

/**
 * A tool server row, {@code tool_servers(name, group_kind, PK(name, group_kind))}: e.g. a RemoteMCPServer named
 * {@code weather} with group kind {@code RemoteMCPServer.kagent.dev}.
 */
public record ToolServer(String name, String groupKind, String description) {
    public static final String REMOTE_MCP_GROUP_KIND = "RemoteMCPServer.kagent.dev";

    public ToolServer {
        KagentStore.requireKey("tool server name", name);
        KagentStore.requireKey("group kind", groupKind);
    }
}
