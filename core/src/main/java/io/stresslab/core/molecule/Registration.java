package io.stresslab.core.molecule;

/** The answer to a runtime's register call: accepted (200) with the workspace's status, or rejected (400). */
public record Registration(boolean accepted, int httpStatus, WorkspaceStatus status, String reason) {
    static Registration accepted(WorkspaceStatus status) {
        return new Registration(true, 200, status, "");
    }

    static Registration rejected(String reason) {
        return new Registration(false, 400, WorkspaceStatus.FAILED, reason);
    }
}
