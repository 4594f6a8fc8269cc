package io.stresslab.stress.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stresslab.core.db.CommitOutcomeUnknownException;
import io.stresslab.core.db.Database;
import io.stresslab.stress.harness.DatabaseTarget;
import io.stresslab.kit.PostgresTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What the PostgreSQL counter campaign found: a connection terminated while COMMIT is in flight used to be retried
 * as "transient" (57P01), so a transaction that had in fact committed ran a second time (an increment applied twice).
 * The helper must surface such a commit as {@link CommitOutcomeUnknownException} after ONE attempt.
 */
class AmbiguousCommitTest {
    @Test
    void aConnectionLostDuringCommitIsNotRetried() {
        Optional<DatabaseTarget> pg = PostgresTarget.target();
        Assumptions.assumeTrue(pg.isPresent(), PostgresTarget::reason);
        try (Database db = pg.get().openFresh("ambiguous_commit")) {
            AtomicInteger attempts = new AtomicInteger();
            // just before the commit, another session terminates this one: the client sees 57P01 or 08006 on COMMIT
            db.withFaults((c, attempt) -> {
                int pid;
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    pid = rs.getInt(1);
                }
                try (Connection killer = db.dataSource().getConnection();
                     PreparedStatement ps = killer.prepareStatement("SELECT pg_terminate_backend(?, 5000)")) {
                    ps.setInt(1, pid);
                    ps.execute();
                }
            });
            assertThatThrownBy(() -> db.inTransaction(c -> attempts.incrementAndGet()))
                    .isInstanceOf(CommitOutcomeUnknownException.class)
                    .hasMessageStartingWith("commit outcome unknown");
            assertThat(attempts).hasValue(1);
        }
    }
}
