package io.stresslab.core.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A hook the transaction helper calls just before each commit, so a campaign can inject artificial transient failures
 * (40001 / 40P01) and prove that callers survive them. Production code uses {@link #NONE}.
 */
@FunctionalInterface
public interface FaultInjector {
    FaultInjector NONE = (c, attempt) -> { };

    /** Throw an SQLException to make this attempt fail before commit; the helper then rolls back. */
    void beforeCommit(Connection connection, int attempt) throws SQLException;
}
