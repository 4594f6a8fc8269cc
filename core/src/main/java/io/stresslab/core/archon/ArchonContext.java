package io.stresslab.core.archon;

import java.util.Objects;

/**
 * The per-process shared context the MCP server's lifespan hands to every session: the session manager and the
 * service client, both made once by {@link ArchonServices}.
 */
public record ArchonContext(Object sessionManager, Object serviceClient) {
    public ArchonContext {
        Objects.requireNonNull(sessionManager, "sessionManager");
        Objects.requireNonNull(serviceClient, "serviceClient");
    }
}
