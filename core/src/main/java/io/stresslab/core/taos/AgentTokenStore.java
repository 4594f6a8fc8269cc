package io.stresslab.core.taos;

/**
 * Per-agent bearer tokens (TAOS-2): at most one active token per agent. Implemented by the seed's Pass 1 store
 * ({@link LockedRotateTokenStore}, a per-process lock) and the fixed one ({@link SerializedTokenStore}, the database
 * decides).
 */
public interface AgentTokenStore {
    int MAX_AGENT_ID_LENGTH = 255;

    /** Issues the agent's token. */
    IssuedToken issue(String agentId);

    /** Revokes the agent's active token (if any) and issues a new one. */
    IssuedToken rotate(String agentId);

    /** Revokes the agent's active token, if any; returns how many rows it revoked. */
    int revoke(String agentId);

    /** Whether {@code secret} is the agent's active token (constant-time comparison of hashes). */
    boolean validate(String agentId, String secret);

    /** Returns a valid agent id or throws a one-line {@link IllegalArgumentException}. */
    static String requireAgentId(String agentId) {
        if (agentId == null) {
            throw new IllegalArgumentException("agent id must not be null");
        }
        if (agentId.isBlank()) {
            throw new IllegalArgumentException("agent id must not be blank");
        }
        if (agentId.length() > MAX_AGENT_ID_LENGTH) {
            throw new IllegalArgumentException("agent id is " + agentId.length() + " characters; at most "
                    + MAX_AGENT_ID_LENGTH + " allowed");
        }
        return agentId;
    }
}
