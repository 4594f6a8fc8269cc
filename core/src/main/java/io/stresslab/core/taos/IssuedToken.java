package io.stresslab.core.taos;

/**
 * A freshly issued agent token: its row id and the secret, which exists only here (the database keeps its hash).
 * Deliberately not a record: {@link #toString()} never shows the secret.
 */
public final class IssuedToken {
    private final String agentId;
    private final long tokenId;
    private final String secret;

    /** A token just issued: its row id and its secret (public, so that any {@link AgentTokenStore} can return one). */
    public IssuedToken(String agentId, long tokenId, String secret) {
        this.agentId = agentId;
        this.tokenId = tokenId;
        this.secret = secret;
    }

    public String agentId() {
        return agentId;
    }

    public long tokenId() {
        return tokenId;
    }

    /** The secret to hand to the agent once; never log it. */
    public String secret() {
        return secret;
    }

    @Override
    public String toString() {
        return "IssuedToken[agent=" + agentId + ", id=" + tokenId + ", secret=***]";
    }
}
