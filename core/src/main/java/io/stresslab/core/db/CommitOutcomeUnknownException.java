package io.stresslab.core.db;

/**
 * The connection was lost while COMMIT was in flight (PostgreSQL 57P01 from {@code pg_terminate_backend}, any 08xxx):
 * the transaction may or may not have committed. {@link Database#inTransaction} never retries it — a retry could
 * apply the work twice — so callers see it and must treat the outcome as unknown (re-read, or record it as such).
 */
public final class CommitOutcomeUnknownException extends DatabaseException {
    private static final long serialVersionUID = 1L;

    public CommitOutcomeUnknownException(String message, Throwable cause) {
        super("commit outcome unknown: " + message, cause);
    }
}
