package io.stresslab.core.taos;

/**
 * Why an idempotent request got no response ({@link IdempotencyStore}): its key was reused for a different request,
 * another caller's execution of the key did not finish within this caller's wait, or the owner's handler failed
 * without producing a response (the key is then released, so a retry executes again). The message is one line. Public
 * with a public constructor, so that any implementation of the contract throws the same type.
 */
public final class IdempotencyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The same key with a different request fingerprint (HTTP 422). */
        KEY_REUSED,
        /** Still in flight when this caller's wait ran out (HTTP 409; retry later). */
        STILL_IN_PROGRESS,
        /** The owner's handler threw; nothing was stored and the key was released (HTTP 503; retry). */
        HANDLER_FAILED
    }

    private final Reason reason;

    /**
     * @param reason  why there is no response
     * @param message one line for the caller
     * @param cause   the handler's failure, or null
     */
    public IdempotencyException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = java.util.Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
