package io.stresslab.core.taos;

/**
 * Per-agent bearer tokens (TAOS-2), shared by every worker process through the database. The contract, each obligation
 * named as the checks' findings name it:
 * <ol>
 *   <li><b>one-active-token</b> — at every instant an agent has at most one active token, however many store
 *       instances (worker processes, each with its own pool) call {@code issue}, {@code rotate} and {@code revoke}
 *       for it concurrently, on either token table — with or without the one-active-token index.</li>
 *   <li><b>issue-refuses-while-active</b> — {@code issue} while the agent has an active token throws
 *       {@link ActiveTokenExistsException}; of concurrent {@code issue}s for an agent without one, exactly one
 *       wins.</li>
 *   <li><b>rotate-serializes</b> — {@code rotate} revokes the active token (if any) and issues a new one as one step;
 *       it is never refused with {@link ActiveTokenExistsException}, however many rotate at once.</li>
 *   <li><b>typed-errors-only</b> — no raw SQL or constraint error reaches a caller: a conflict is an
 *       {@link ActiveTokenExistsException}, and a failed call leaves no partial change.</li>
 *   <li><b>tokens-valid</b> — {@code validate} accepts the secret of the agent's active token and no other secret
 *       ever handed out for it; an agent that was issued tokens keeps a valid one until revoked; revoke then issue
 *       leaves exactly the new secret valid.</li>
 *   <li><b>changes-ordered</b> — a token's {@code issued_at} and {@code revoked_at} are taken while the store holds
 *       the agent's serialization, so the table read back orders every change of an agent (two rows of one agent
 *       never overlap in time).</li>
 * </ol>
 *
 * <p><b>Construction.</b> A public constructor {@code (Database, TokenTable, Clock)}: the store keeps its tokens in
 * {@link TokenTable#tableName()} (columns {@code id, agent_id, token_hash, issued_at, revoked_at} of migration V2, a
 * row active while {@code revoked_at} is null; hash secrets with {@link TokenSecrets}) and may use the
 * {@code agent_token_owners(agent_id)} table of the same migration to serialize per agent. Times come from the
 * injected clock. Implemented by the seed's Pass 1 store ({@link LockedRotateTokenStore}, a per-process lock) and the
 * fixed one ({@link SerializedTokenStore}, the database decides).
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
