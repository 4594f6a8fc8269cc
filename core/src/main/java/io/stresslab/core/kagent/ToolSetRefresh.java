package io.stresslab.core.kagent;

import java.util.List;

/**
 * Replaces the set of tools stored for one server with the set the server just listed (kagent's
 * {@code refreshToolsForServer}). The variants differ only in how they make that replacement atomic — or fail to:
 * KAGENT-2.
 */
public interface ToolSetRefresh {
    /** A short mechanism name used in records, e.g. {@code statement-by-statement}. */
    String mechanism();

    /** Makes the stored tool set of {@code server} equal {@code tools}. The server row must exist. */
    void refresh(ToolServer server, List<McpTool> tools);
}
