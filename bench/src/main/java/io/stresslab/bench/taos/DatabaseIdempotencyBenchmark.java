package io.stresslab.bench.taos;

import io.stresslab.bench.BenchDatabase;
import io.stresslab.core.db.Database;
import io.stresslab.core.taos.DatabaseIdempotencyStore;
import io.stresslab.core.taos.IdempotencyKey;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.ReservingIdempotencyCache;
import io.stresslab.core.taos.StoredResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
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
 * TAOS-3: idempotent requests per second through the database-backed store, run with 1 and 2 threads.
 * {@code per-process-cache} is the in-memory {@link ReservingIdempotencyCache} (before: correct in one process, blind
 * to a retry on another worker; it does not touch the database, so its {@code db} rows are the same measurement
 * twice), {@code database-reservation} the {@link DatabaseIdempotencyStore} (after: read the key; a new one is reserved
 * by one autocommit insert-if-absent, the handler runs, one autocommit UPDATE completes it; a replay is the read), and
 * the {@code ceiling} the bare insert-if-absent of the key row (the store's own statement: {@code ON CONFLICT DO
 * NOTHING} on PostgreSQL, a plain INSERT whose unique violation is caught on H2) through JDBC in autocommit on each
 * thread's own connection. The {@code floor} is what the store's design cannot do without, through bare JDBC on each
 * thread's own connection in autocommit: a new key is read, inserted if absent (one durable commit) and completed by
 * the store's UPDATE (a second one) — two commits against the ceiling's one; a hot key is the read and its retention
 * check (the row's replayed-until time against the clock, which a store with a TTL cannot skip). It has no pool, no
 * random owner id, no lease takeover or fingerprint refusal, so it is a cost floor, not a correct store.
 * <ul>
 *   <li>{@code keys=distinct}: every request carries a new key (each thread its own principal), so the handler runs
 *   every time: a read and two autocommitted writes for the store, one inserted row for the ceiling. The in-memory
 *   cache keeps its real 1,000-entry bound, so from the 1,001st key on each request also evicts one entry.</li>
 *   <li>{@code keys=hot}: all requests of all threads carry one key, so all but the first replay: the store's read
 *   finds the completed row and returns its stored response; the ceiling's insert finds the row and does nothing.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DatabaseIdempotencyBenchmark {
    private static final StoredResponse CREATED = new StoredResponse(201, "{\"agent\":\"research-agent\"}");
    private static final Callable<StoredResponse> HANDLER = () -> CREATED;
    private static final String FINGERPRINT = "sha256:5f2b";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final IdempotencyKey HOT = new IdempotencyKey("POST", "/agents", "user", "hot-key");

    @Param({"per-process-cache", "database-reservation", "ceiling", "floor"})
    public String variant;

    @Param({"distinct", "hot"})
    public String keys;

    @Param({"h2"})
    public String db;

    private Database database;
    private IdempotencyStore store;
    private boolean floor;
    private final AtomicInteger threadIds = new AtomicInteger();

    /**
     * Each thread's principal and key counter, and for the ceiling and the floor its own connection and statements
     * (the floor's owner is the thread's principal).
     */
    @State(Scope.Thread)
    public static class Caller {
        String principal;
        long next;
        Connection connection;
        PreparedStatement insert;
        PreparedStatement find;
        PreparedStatement complete;

        @Setup(Level.Trial)
        public void setUp(DatabaseIdempotencyBenchmark bench) throws SQLException {
            principal = "user-" + bench.threadIds.getAndIncrement();
            if (bench.store == null) {
                connection = bench.database.dataSource().getConnection();
                connection.setAutoCommit(true);
                insert = connection.prepareStatement(bench.database.dialect().insertIfAbsent("idempotency_keys",
                        List.of("scope_key"), List.of("scope_key", "fingerprint", "state", "owner", "generation",
                                "lease_expires_at", "created_at")));
                find = connection.prepareStatement(DatabaseIdempotencyStore.FIND_SQL);
                complete = connection.prepareStatement(DatabaseIdempotencyStore.COMPLETE_SQL);
            }
        }

        /** Inserts the key's row as PENDING, owned by this thread, unless it is there: whether it inserted. */
        boolean insertIfAbsent(Database database, String scope, OffsetDateTime now) throws SQLException {
            Database.bind(insert, scope, FINGERPRINT, "PENDING", principal, 1,
                    now.plus(DatabaseIdempotencyStore.DEFAULT_LEASE), now);
            try {
                return insert.executeUpdate() == 1;
            } catch (SQLException e) {
                if (database.dialect().isUniqueViolation(e)) {
                    return false; // H2: the key is present
                }
                throw e;
            }
        }

        /**
         * The floor: the stored response of a completed key still within its retention (the row's replayed-until
         * time against the clock, as TAOS-1's floor keeps an expiry), else insert, run the handler, complete.
         */
        Object floor(Database database, IdempotencyKey key) throws Exception {
            String scope = DatabaseIdempotencyStore.scopeKey(key);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            find.setString(1, scope);
            try (ResultSet rs = find.executeQuery()) {
                if (rs.next() && "DONE".equals(rs.getString(2)) && FINGERPRINT.equals(rs.getString(1))
                        && rs.getObject(5, OffsetDateTime.class).isAfter(now)) {
                    return new StoredResponse(rs.getInt(6), rs.getString(7));
                }
            }
            if (!insertIfAbsent(database, scope, now)) {
                return Boolean.FALSE; // another thread's first call of the hot key
            }
            StoredResponse response = HANDLER.call();
            Database.bind(complete, response.status(), response.body(), now,
                    now.plus(DatabaseIdempotencyStore.DEFAULT_TTL), scope, principal);
            complete.executeUpdate();
            return response;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws SQLException {
            if (connection != null) {
                connection.close();
            }
        }

        IdempotencyKey nextKey(String keys) {
            return keys.equals("hot") ? HOT
                    : new IdempotencyKey("POST", "/agents", principal, Long.toString(next++));
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (!keys.equals("distinct") && !keys.equals("hot")) {
            throw new IllegalArgumentException("unknown keys " + keys);
        }
        database = BenchDatabase.open(db, "bench_taos3", 8);
        store = switch (variant) {
            case "per-process-cache" -> new ReservingIdempotencyCache(Clock.systemUTC());
            case "database-reservation" -> new DatabaseIdempotencyStore(database, Clock.systemUTC());
            case "ceiling", "floor" -> null;
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
        floor = variant.equals("floor");
    }

    @Benchmark
    public Object request(Caller caller) throws Exception {
        IdempotencyKey key = caller.nextKey(keys);
        if (store != null) {
            return store.execute(key, FINGERPRINT, HANDLER, WAIT);
        }
        if (floor) {
            return caller.floor(database, key);
        }
        String scope = DatabaseIdempotencyStore.scopeKey(key);
        return caller.insertIfAbsent(database, scope, OffsetDateTime.now(ZoneOffset.UTC));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        database.close();
    }
}
