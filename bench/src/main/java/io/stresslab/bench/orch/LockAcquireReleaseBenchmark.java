package io.stresslab.bench.orch;

import io.stresslab.bench.BenchDatabase;
import io.stresslab.core.db.Database;
import io.stresslab.core.orch.DbLockManager;
import io.stresslab.core.orch.InsertOnlyLockManager;
import io.stresslab.core.orch.LeaseLockManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * ORCH-2: one lock cycle — {@code acquire} (waiting while held, as the checks do) then {@code release} — of ONE
 * resource shared by 1, 2 or 4 threads, for {@code insert-only-lock} (before: INSERT a row, DELETE it; waiters poll)
 * and {@code lease-fencing-lock} (after: one autocommit UPDATE … RETURNING that takes a free or expired lease and bumps
 * the fencing token, then one UPDATE that marks it free and hands it to the longest waiter).
 * Sample mode: the cycle's latency percentiles (and, as threads / mean, its rate) from one run; with more than one
 * thread the cycle time includes waiting for the other holders, i.e. the acquire latency under contention.
 * The {@code ceiling} is the bare INSERT/DELETE statement pair through JDBC in autocommit, each thread on its own
 * resource and its own connection: what a lock cycle costs with no manager, no transaction helper and no contention.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LockAcquireReleaseBenchmark {
    private static final String RESOURCE = "bench-resource";
    private static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(30);

    @Param({"insert-only-lock", "lease-fencing-lock", "ceiling"})
    public String variant;

    @Param({"h2"})
    public String db;

    private Database database;
    private DbLockManager locks;
    private final AtomicInteger threadIds = new AtomicInteger();

    /** Each thread's owner name, and for the ceiling its own connection and statements. */
    @State(Scope.Thread)
    public static class Worker {
        String owner;
        Connection connection;
        PreparedStatement insert;
        PreparedStatement delete;

        @Setup(Level.Trial)
        public void setUp(LockAcquireReleaseBenchmark bench) throws SQLException {
            owner = "worker-" + bench.threadIds.getAndIncrement();
            if (bench.locks == null) {
                connection = bench.database.dataSource().getConnection();
                connection.setAutoCommit(true);
                insert = connection.prepareStatement("INSERT INTO lock_tracking (resource_name, locked_at, locked_by)"
                        + " VALUES (?, CURRENT_TIMESTAMP, ?)");
                delete = connection.prepareStatement(
                        "DELETE FROM lock_tracking WHERE resource_name = ? AND locked_by = ?");
                Database.bind(insert, owner, owner);
                Database.bind(delete, owner, owner);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws SQLException {
            if (connection != null) {
                connection.close();
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        database = BenchDatabase.open(db, "bench_orch2", 8);
        locks = switch (variant) {
            case "insert-only-lock" -> new InsertOnlyLockManager(database);
            case "lease-fencing-lock" -> new LeaseLockManager(database, Duration.ofSeconds(30));
            case "ceiling" -> null;
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    @Benchmark
    public void lockCycle(Worker w) throws SQLException {
        if (locks == null) {
            w.insert.executeUpdate();
            w.delete.executeUpdate();
            return;
        }
        locks.release(locks.acquire(RESOURCE, w.owner, ACQUIRE_TIMEOUT));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        database.close();
    }
}
