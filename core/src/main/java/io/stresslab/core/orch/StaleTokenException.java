package io.stresslab.core.orch;

/** A protected write was refused: its fencing token is older than the newest one that already wrote the resource. */
public final class StaleTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StaleTokenException(LockGrant grant) {
        super("write by " + grant.owner() + " to '" + grant.resource() + "' with fencing token " + grant.token()
                + " rejected: a newer grant has written it");
    }
}
