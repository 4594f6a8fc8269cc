package io.stresslab.core.taos;

/**
 * The typed refusal of TAOS-2's after variant: an {@code issue} while the agent already has an active token, or a
 * lost race that the one-active-token constraint caught. Never carries a secret or a raw SQL message.
 */
public final class ActiveTokenExistsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String agentId;

    public ActiveTokenExistsException(String agentId) {
        super("agent " + agentId + " already has an active token");
        this.agentId = agentId;
    }

    public String agentId() {
        return agentId;
    }
}
