package io.stresslab.core.molecule;

import java.util.Locale;

/** A workspace's status, stored as its lower-case name. */
public enum WorkspaceStatus {
    PROVISIONING, ONLINE, DEGRADED, OFFLINE, AWAITING_AGENT, FAILED, REMOVED;

    public String db() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WorkspaceStatus fromDb(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
