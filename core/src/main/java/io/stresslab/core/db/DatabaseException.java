package io.stresslab.core.db;

import java.sql.SQLException;

/**
 * A database failure carried out of the stores as an unchecked exception. Its message is one line meant for a user;
 * the SQLSTATE (if any) is kept for callers that classify failures.
 */
public class DatabaseException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String sqlState;

    public DatabaseException(String message) {
        super(message);
        this.sqlState = null;
    }

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
        this.sqlState = cause instanceof SQLException s ? s.getSQLState() : null;
    }

    public String sqlState() {
        return sqlState;
    }
}
