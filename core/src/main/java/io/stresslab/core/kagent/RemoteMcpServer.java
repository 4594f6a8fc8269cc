package io.stresslab.core.kagent;

import java.net.URI;
import java.util.Objects;

/** A RemoteMCPServer resource: where the server is and how its tool-server row is named. */
public record RemoteMcpServer(String name, URI url, String description) {
    public RemoteMcpServer {
        KagentStore.requireKey("RemoteMCPServer name", name);
        Objects.requireNonNull(url, "url");
    }

    public ToolServer toolServer() {
        return new ToolServer(name, ToolServer.REMOTE_MCP_GROUP_KIND, description);
    }
}
