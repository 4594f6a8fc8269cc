package io.stresslab.stress.campaign;

import io.stresslab.core.db.DbKind;
import io.stresslab.core.db.FaultInjector;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fails a seeded fraction of commit attempts with an artificial transient failure before the commit: SQLSTATE 40001
 * (serialization failure) or, on PostgreSQL, 40P01 (deadlock detected). The transaction helper rolls back and
 * retries, so a correct caller must survive them.
 */
final class TransientFaults implements FaultInjector {
    private final double rate;
    private final boolean deadlocksToo;
    private final SplittableRandom random;
    private final AtomicLong injected = new AtomicLong();

    TransientFaults(double rate, DbKind kind, long seed) {
        this.rate = rate;
        this.deadlocksToo = kind == DbKind.POSTGRESQL;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public void beforeCommit(Connection connection, int attempt) throws SQLException {
        boolean fire;
        boolean deadlock;
        synchronized (random) {
            fire = random.nextDouble() < rate;
            deadlock = deadlocksToo && random.nextBoolean();
        }
        if (fire) {
            injected.incrementAndGet();
            String state = deadlock ? "40P01" : "40001";
            throw new SQLException("stresslab injected transient failure [" + state + "]", state);
        }
    }

    long injected() {
        return injected.get();
    }
}
