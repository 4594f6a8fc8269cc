package io.stresslab.bench.orch;

import io.stresslab.bench.BenchDatabase;
import io.stresslab.core.db.Database;
import io.stresslab.core.orch.DbLockManager;
import io.stresslab.core.orch.InsertOnlyLockManager;
import io.stresslab.core.orch.LeaseLockManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * the fencing token, then one UPDATE that hands the lease to the longest waiter of the process, fenced by the
 * releaser's token, or with nobody waiting marks it free).
 * Sample mode: the cycle's latency percentiles (and, as threads / mean, its rate) from one run; with more than one
 * thread the cycle time includes waiting for the other holders, i.e. the acquire latency under contention.
 * The {@code ceiling} is the bare INSERT/DELETE statement pair through JDBC in autocommit, each thread on its own
 * resource and its own connection: what a lock cycle costs with no manager, no transaction helper and no contention.
 * The {@code floor} is what any lease with fencing tokens must run: the lease's own two statements
 * ({@link LeaseLockManager.Statements}: the conditional UPDATE that returns the new token, the release UPDATE fenced by
 * it; no NOTIFY) through bare JDBC, each thread on its own resource and connection. On H2 these statements cost more
 * than an INSERT and a DELETE (a data-change delta table, timestamp arithmetic); on PostgreSQL the round trips
 * dominate both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LockAcquireReleaseBenchmark {
    private static final String RESOURCE = "bench-resource";
    private static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofSeconds(30);

    @Param({"insert-only-lock", "lease-fencing-lock", "ceiling", "floor"})
    public String variant;

    @Param({"h2"})
    public String db;

    private Database database;
    private DbLockManager locks;
    private final AtomicInteger threadIds = new AtomicInteger();

    /** Each thread's owner name, and for the ceiling and the floor its own connection and statements. */
    @State(Scope.Thread)
    public static class Worker {
        String owner;
        Connection connection;
        PreparedStatement insert;
        PreparedStatement delete;
        PreparedStatement acquire; // the floor's
        PreparedStatement release;

        @Setup(Level.Trial)
        public void setUp(LockAcquireReleaseBenchmark bench) throws SQLException {
            owner = "worker-" + bench.threadIds.getAndIncrement();
            if (bench.variant.equals("floor")) {
                connection = bench.database.dataSource().getConnection();
                connection.setAutoCommit(true);
                LeaseLockManager.Statements sql = LeaseLockManager.Statements.of(bench.database.dialect());
                try (PreparedStatement first = connection.prepareStatement(sql.insertFirst())) {
                    Database.bind(first, owner, owner, LEASE.toMillis());
                    first.executeUpdate();
                }
                release = connection.prepareStatement(sql.release());
                Database.bind(release, owner, 1L);
                release.executeUpdate();
                acquire = connection.prepareStatement(sql.acquire());
                Database.bind(acquire, owner, LEASE.toMillis(), owner);
            } else if (bench.locks == null) {
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
            case "lease-fencing-lock" -> new LeaseLockManager(database, LEASE);
            case "ceiling", "floor" -> null;
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    @Benchmark
    public void lockCycle(Worker w) throws SQLException {
        if (w.acquire != null) { // the floor: take the free lease, then free it by its token
            long token;
            try (ResultSet rs = w.acquire.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("the floor's own resource was not free");
                }
                token = rs.getLong(1);
            }
            w.release.setLong(2, token);
            w.release.executeUpdate();
            return;
        }
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
