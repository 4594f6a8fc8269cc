package io.stresslab.core.orch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stresslab.core.db.CommitOutcomeUnknownException;
import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lease manager, fencing and the insert-only manager's cleanup, on embedded H2 (the stress checks add PostgreSQL). */
class LeaseLockManagerTest {
    private Database db;

    @BeforeEach
    void open() {
        db = Database.open(DbConfig.of("jdbc:h2:mem:lease_" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa", ""));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void theFencingTokenGrowsOnEveryGrantAndReleaseKeepsTheRow() {
        LeaseLockManager locks = new LeaseLockManager(db, Duration.ofSeconds(30));
        LockGrant a = locks.tryAcquire("r", "a").orElseThrow();
        assertThat(locks.tryAcquire("r", "b")).isEmpty();
        assertThat(locks.renew(a)).isTrue();
        assertThat(locks.release(a)).isTrue();
        assertThat(locks.release(a)).isFalse();
        assertThat(locks.renew(a)).isFalse();
        LockGrant b = locks.tryAcquire("r", "b").orElseThrow();
        LockGrant c = locks.tryAcquire("other", "b").orElseThrow();
        assertThat(List.of(a.token(), b.token(), c.token())).containsExactly(1L, 2L, 1L);
    }

    @Test
    void aReleaseHandsTheLeaseToTheLongestWaiterInsteadOfLettingTheReleaserBarge() throws Exception {
        LeaseLockManager locks = new LeaseLockManager(db, Duration.ofSeconds(30));
        LockGrant first = locks.acquire("r", "holder", Duration.ofSeconds(5));
        CompletableFuture<LockGrant> waiter = CompletableFuture.supplyAsync(() -> {
            LockGrant g = locks.acquire("r", "waiter", Duration.ofSeconds(30));
            return g;
        });
        awaitQueued(locks, waiter);
        assertThat(locks.release(first)).isTrue();
        // the releaser asks again at once: it queues behind the waiter, which gets the lock first
        CompletableFuture<LockGrant> again = CompletableFuture.supplyAsync(
                () -> locks.acquire("r", "holder", Duration.ofSeconds(30)));
        LockGrant handedOver = waiter.get(30, TimeUnit.SECONDS);
        assertThat(handedOver.token()).isEqualTo(first.token() + 1);
        assertThat(locks.release(handedOver)).isTrue();
        assertThat(again.get(30, TimeUnit.SECONDS).token()).isEqualTo(first.token() + 2);
        assertThat(locks.waiting("r")).isZero();
    }

    @Test
    void aReleaseWhoseLeaseWasTakenOverHandsNothingToItsWaiter() throws Exception {
        LeaseLockManager shortLease = new LeaseLockManager(db, Duration.ofMillis(1));
        LeaseLockManager other = new LeaseLockManager(db, Duration.ofSeconds(30));
        LockGrant old = shortLease.tryAcquire("r", "old").orElseThrow();
        LockGrant heir = other.acquire("r", "heir", Duration.ofSeconds(5)); // takes the expired lease over
        CompletableFuture<LockGrant> waiter = CompletableFuture.supplyAsync(
                () -> shortLease.acquire("r", "waiter", Duration.ofSeconds(30)));
        awaitQueued(shortLease, waiter);
        assertThat(shortLease.release(old)).as("the old owner's release, offered to its waiter").isFalse();
        assertThat(waiter).isNotDone();
        assertThat(other.release(heir)).isTrue();
        LockGrant next = waiter.get(30, TimeUnit.SECONDS);
        assertThat(next.token()).isEqualTo(heir.token() + 1);
        assertThat(shortLease.waiting("r")).isZero();
    }

    @Test
    void aLostAnswerIsTheGrantWhileItsLeaseLastsAndUnknownOnceItLapsedNeverARefusal() {
        for (boolean lapsed : new boolean[] {false, true}) {
            Duration lease = lapsed ? Duration.ofMillis(1) : Duration.ofSeconds(30);
            LeaseLockManager locks = new LeaseLockManager(db, lease);
            String resource = "lost-" + lapsed;
            assertThat(locks.release(locks.tryAcquire(resource, "first").orElseThrow())).isTrue();
            AtomicBoolean armed = new AtomicBoolean(true);
            // the acquire's UPDATE commits, then its answer is lost with the connection (SQLSTATE 08006)
            db.withFaults((c, attempt) -> {
                if (!armed.getAndSet(false)) {
                    return;
                }
                try (PreparedStatement ps = c.prepareStatement(LeaseLockManager.Statements.of(db.dialect())
                        .acquire())) {
                    Database.bind(ps, "me", lease.toMillis(), resource);
                    assertThat(ps.executeQuery().next()).as("granted").isTrue();
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (lapsed && Jdbc.queryLong(c, "SELECT COUNT(*) FROM lock_tracking WHERE resource_name = ? "
                        + "AND lease_expires_at < CURRENT_TIMESTAMP", resource) == 0) {
                    assertThat(System.nanoTime()).as("the 1 ms lease lapsed within 10 s").isLessThan(deadline);
                    Thread.onSpinWait();
                }
                throw new SQLException("connection lost (test)", "08006");
            });
            try {
                if (lapsed) {
                    assertThatThrownBy(() -> locks.tryAcquire(resource, "me"))
                            .as("granted and lapsed before the manager could ask: unknown, not held by another")
                            .isInstanceOf(CommitOutcomeUnknownException.class);
                } else {
                    assertThat(locks.tryAcquire(resource, "me")).as("the row shows the live grant")
                            .hasValueSatisfying(g -> assertThat(g.token()).isEqualTo(2L));
                }
            } finally {
                db.withFaults(null);
            }
        }
    }

    private static void awaitQueued(LeaseLockManager locks, CompletableFuture<?> waiter) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (locks.waiting("r") == 0 && !waiter.isDone()) {
            assertThat(System.nanoTime()).as("the waiter queued within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void anExpiredLeaseIsTakenOverAndItsOwnerCanNoLongerRenewOrWrite() {
        LeaseLockManager shortLease = new LeaseLockManager(db, Duration.ofMillis(1));
        LeaseLockManager longLease = new LeaseLockManager(db, Duration.ofSeconds(30));
        ProtectedCounter counter = new ProtectedCounter(db);
        counter.ensure("r");
        LockGrant old = shortLease.tryAcquire("r", "old").orElseThrow();
        long seen = counter.read(old);
        LockGrant fresh = longLease.acquire("r", "new", Duration.ofSeconds(5));
        assertThat(fresh.token()).isGreaterThan(old.token());
        assertThat(shortLease.renew(old)).isFalse();
        counter.write(fresh, counter.read(fresh) + 1);
        assertThatThrownBy(() -> counter.write(old, seen + 1)).isInstanceOf(StaleTokenException.class)
                .hasMessageContaining("token " + old.token());
        assertThatThrownBy(() -> counter.read(old)).isInstanceOf(StaleTokenException.class);
        assertThat(counter.audit("r").lostUpdates()).isZero();
    }

    @Test
    void theSweepFreesExpiredLeasesOnly() throws Exception {
        new LeaseLockManager(db, Duration.ofMillis(1)).tryAcquire("expired", "a").orElseThrow();
        LeaseLockManager locks = new LeaseLockManager(db, Duration.ofSeconds(30));
        locks.tryAcquire("live", "b").orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int swept = 0;
        while (swept == 0 && System.nanoTime() < deadline) {
            swept = locks.sweepExpired();
        }
        assertThat(swept).isEqualTo(1);
        assertThat(locks.tryAcquire("live", "c")).isEmpty();
    }

    @Test
    void theSweeperRunsInTheBackgroundUntilClosed() throws Exception {
        new LeaseLockManager(db, Duration.ofMillis(1)).tryAcquire("r", "a").orElseThrow();
        LeaseLockManager locks = new LeaseLockManager(db, Duration.ofSeconds(30));
        AutoCloseable sweeper = locks.startSweeper(Duration.ofMillis(10));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (leaseOf("r") != null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        sweeper.close();
        assertThat(leaseOf("r")).isNull();
    }

    private Object leaseOf(String resource) {
        return db.inTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT lease_expires_at FROM lock_tracking WHERE resource_name = ?")) {
                ps.setString(1, resource);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getObject(1);
                }
            }
        });
    }

    @Test
    void insertOnlyLocksStayHeldUntilCleanupDeletesThemByAge() {
        InsertOnlyLockManager locks = new InsertOnlyLockManager(db);
        LockGrant a = locks.tryAcquire("r", "a").orElseThrow();
        assertThat(a.token()).isZero();
        assertThat(locks.tryAcquire("r", "b")).isEmpty();
        assertThat(locks.cleanupStaleLocks(Duration.ofHours(1))).isZero();
        assertThatThrownBy(() -> locks.acquire("r", "b", Duration.ofMillis(50)))
                .isInstanceOf(LockTimeoutException.class).hasMessage("b could not acquire 'r' within 50 ms");
        assertThat(locks.release(a)).isTrue();
        assertThat(locks.tryAcquire("r", "b")).isPresent();
    }

    @Test
    void badInputIsRefusedWithOneLine() {
        LeaseLockManager locks = new LeaseLockManager(db, Duration.ofSeconds(1));
        assertThatThrownBy(() -> locks.tryAcquire("", "a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("resource must not be empty");
        assertThatThrownBy(() -> locks.tryAcquire("x".repeat(10_000), "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10000 characters");
        assertThatThrownBy(() -> locks.tryAcquire("r", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("owner must not be empty");
        assertThatThrownBy(() -> new LeaseLockManager(db, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InsertOnlyLockManager(db).cleanupStaleLocks(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        TaskStateManager tsm = new LockOnceTaskStateManager(db);
        assertThatThrownBy(() -> tsm.completeSubtask(null, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subtask id must not be empty");
        assertThatThrownBy(() -> tsm.completeSubtask("missing", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no subtask 'missing'");
        assertThatThrownBy(() -> tsm.createBreakdown("p", "d", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
