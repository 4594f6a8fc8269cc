package io.stresslab.core.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * One database: a HikariCP pool, the engine's {@link Dialect}, Flyway-migrated schema, and the one transaction helper
 * every store goes through ({@link #inTransaction}), with bounded retries of transient failures.
 */
public final class Database implements AutoCloseable {
    /** Transaction isolation levels the stores ask for. */
    public enum Isolation {
        READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
        REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
        SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE);

        final int jdbc;
        final String name;

        Isolation(int jdbc) {
            this.jdbc = jdbc;
            this.name = "TRANSACTION_" + name();
        }
    }

    /** Every pooled connection's isolation level; {@link #inTransaction} sets another only when asked for it. */
    static final Isolation DEFAULT_ISOLATION = Isolation.READ_COMMITTED;

    /** Work done inside one transaction; it may be run more than once if a transient failure forces a retry. */
    @FunctionalInterface
    public interface TxWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Migrations whose SQL is the same on both engines; the rest live in the engine's own folder. */
    static final String COMMON_MIGRATIONS = "classpath:db/migration/common";

    private final DbConfig config;
    private final Dialect dialect;
    private final HikariDataSource pool;
    private volatile FaultInjector faults = FaultInjector.NONE;
    private volatile RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private final LongAdder retries = new LongAdder();
    private final LongAdder commits = new LongAdder();
    /** {@link #upsert}'s statements, built once per shape: building one costs about as much as H2 running it. */
    private final ConcurrentHashMap<UpsertShape, String> upserts = new ConcurrentHashMap<>();

    private record UpsertShape(String table, List<String> keys, List<String> values, List<String> touched) {
    }

    private Database(DbConfig config, HikariDataSource pool) {
        this.config = config;
        this.dialect = new Dialect(config.kind());
        this.pool = pool;
    }

    /**
     * Connects, creates the configured schema if needed and applies this engine's migrations. Any failure (bad URL,
     * unreachable server, wrong password) becomes a {@link DatabaseException} with one readable line.
     */
    public static Database open(DbConfig config) {
        return open(config, "stresslab");
    }

    /**
     * Like {@link #open(DbConfig)}, with the name this pool's PostgreSQL sessions show as {@code application_name}
     * in {@code pg_stat_activity} (a campaign names each worker's pool, e.g. {@code stresslab-worker-3}, to find and
     * terminate its connections). Ignored on H2.
     */
    public static Database open(DbConfig config, String applicationName) {
        if (applicationName == null || applicationName.isBlank() || applicationName.length() > 63) {
            throw new IllegalArgumentException("application name must be 1 to 63 characters");
        }
        DbKind kind = config.kind();
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.jdbcUrl());
        hc.setUsername(config.user());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(config.poolSize());
        hc.setMinimumIdle(Math.min(2, config.poolSize()));
        hc.setConnectionTimeout(10_000);
        hc.setInitializationFailTimeout(1);
        hc.setPoolName("stresslab-" + kind.id());
        hc.setAutoCommit(true);
        hc.setTransactionIsolation(DEFAULT_ISOLATION.name); // so a transaction at the default sets nothing
        if (kind == DbKind.POSTGRESQL) {
            hc.addDataSourceProperty("connectTimeout", "5");
            hc.addDataSourceProperty("ApplicationName", applicationName);
            if (config.schema() != null) {
                hc.setConnectionInitSql("SET search_path TO " + config.schema());
            }
        }
        HikariDataSource ds;
        try {
            if (config.schema() != null && kind == DbKind.POSTGRESQL) {
                createSchema(config);
            }
            ds = new HikariDataSource(hc);
        } catch (RuntimeException | SQLException e) {
            throw new DatabaseException("cannot connect to " + JdbcUrls.redact(config.jdbcUrl()) + ": "
                    + rootMessage(e), e);
        }
        Database db = new Database(config, ds);
        try {
            db.migrate();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /**
     * Connects once and disconnects, so a bad URL, a wrong password or an unreachable server is reported as one
     * {@link DatabaseException} line before any work starts.
     */
    public static void verifyReachable(DbConfig config) {
        config.kind();
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", config.user() == null ? "" : config.user());
        props.setProperty("password", config.password() == null ? "" : config.password());
        if (config.kind() == DbKind.POSTGRESQL) {
            props.setProperty("connectTimeout", "5");
        }
        try (Connection c = java.sql.DriverManager.getConnection(config.jdbcUrl(), props)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new DatabaseException("cannot connect to " + JdbcUrls.redact(config.jdbcUrl()) + ": "
                    + rootMessage(e), e);
        }
    }

    private static void createSchema(DbConfig config) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + config.schema());
        }
    }

    private void migrate() {
        try {
            var fw = Flyway.configure()
                    .dataSource(pool)
                    .locations(COMMON_MIGRATIONS, dialect.kind().migrationLocation())
                    .loggers("slf4j");
            if (config.schema() != null) {
                fw.schemas(config.schema()).defaultSchema(config.schema()).createSchemas(true);
            }
            fw.load().migrate();
        } catch (FlywayException e) {
            throw new DatabaseException("schema migration failed on " + JdbcUrls.redact(config.jdbcUrl()) + ": "
                    + rootMessage(e), e);
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    public DbKind kind() {
        return dialect.kind();
    }

    public DbConfig config() {
        return config;
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Installs a fault injector (campaigns only); returns this. */
    public Database withFaults(FaultInjector injector) {
        this.faults = injector == null ? FaultInjector.NONE : injector;
        return this;
    }

    public Database withRetryPolicy(RetryPolicy policy) {
        this.retryPolicy = policy;
        return this;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** How many transaction attempts were retried because of a transient failure. */
    public long retries() {
        return retries.sum();
    }

    public long commits() {
        return commits.sum();
    }

    /** Runs {@code work} in one READ COMMITTED transaction, retrying transient failures. */
    public <T> T inTransaction(TxWork<T> work) {
        return inTransaction(Isolation.READ_COMMITTED, work);
    }

    /**
     * Runs {@code work} in one transaction at {@code isolation}: commit on success, roll back on any failure.
     * Transient failures ({@link Dialect#isTransient}) are retried under the {@link RetryPolicy} with jittered
     * exponential backoff; anything else surfaces unchanged (wrapped once in a {@link DatabaseException} carrying the
     * SQLSTATE). The work must therefore be safe to run again from the start. A connection lost during the COMMIT
     * itself is not retried: it surfaces as {@link CommitOutcomeUnknownException} (the commit may have happened).
     */
    public <T> T inTransaction(Isolation isolation, TxWork<T> work) {
        RetryPolicy policy = retryPolicy;
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(isolation, work, attempt);
            } catch (SQLException e) {
                if (!dialect.isTransient(e) || attempt >= policy.maxAttempts()) {
                    throw new DatabaseException(describe(e), e);
                }
                retries.increment();
                backoff(policy, attempt);
            }
        }
    }

    private <T> T attempt(Isolation isolation, TxWork<T> work, int attempt) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            if (isolation != DEFAULT_ISOLATION) {
                // pgjdbc sends SET SESSION CHARACTERISTICS on every call (a round trip); the pool restores the default
                c.setTransactionIsolation(isolation.jdbc);
            }
            try {
                T result = work.run(c);
                faults.beforeCommit(c, attempt);
                commit(c);
                commits.increment();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                resetQuietly(c);
            }
        }
    }

    /** Commits; a connection lost during the commit leaves its outcome unknown, which must not be retried. */
    private void commit(Connection c) throws SQLException {
        try {
            c.commit();
        } catch (SQLException e) {
            if (dialect.isConnectionLoss(e)) {
                throw new CommitOutcomeUnknownException(describe(e), e);
            }
            throw e;
        }
    }

    /**
     * A single-row upsert built by {@link Dialect#upsert}, one autocommitted statement (see {@link #inAutoCommit}). On
     * H2 a racing insert of the same key can lose with 23505; the statement is then re-run, by which time the winner's
     * row is visible and the MERGE takes its matched branch. Returns the update count.
     */
    public int upsert(String table, List<String> keys, List<String> values, List<String> touched, Object... params) {
        String sql = upserts.computeIfAbsent(new UpsertShape(table, keys, values, touched),
                u -> dialect.upsert(u.table(), u.keys(), u.values(), u.touched()));
        for (int attempt = 1; ; attempt++) {
            try {
                return inAutoCommitChecked(c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        bind(ps, params);
                        return ps.executeUpdate();
                    }
                });
            } catch (SQLException e) {
                if (!dialect.isUniqueViolation(e) || attempt >= 5) {
                    throw new DatabaseException(describe(e), e);
                }
            }
        }
    }

    /**
     * Like {@link #inTransaction} but lets non-transient SQLExceptions through unwrapped, for callers that classify.
     */
    public <T> T inTransactionChecked(TxWork<T> work) throws SQLException {
        try {
            return inTransaction(work);
        } catch (DatabaseException e) {
            if (e.getCause() instanceof SQLException s && !(e instanceof CommitOutcomeUnknownException)) {
                throw s;
            }
            throw e;
        }
    }

    /**
     * Runs ONE write statement (or read-only statements) in autocommit: a single statement is atomic on its own, so
     * it needs no transaction helper — no autocommit toggles, no separate COMMIT round trip. Transient failures are
     * retried like {@link #inTransaction}'s (a failed statement committed nothing; the campaign's fault injector runs
     * before each attempt, as before a commit); a connection lost while the statement ran leaves its outcome unknown
     * and surfaces as {@link CommitOutcomeUnknownException}, never retried. Any other failure is wrapped once in a
     * {@link DatabaseException}.
     */
    public <T> T inAutoCommit(TxWork<T> work) {
        try {
            return inAutoCommitChecked(work);
        } catch (SQLException e) {
            throw new DatabaseException(describe(e), e);
        }
    }

    /** Like {@link #inAutoCommit} but lets non-transient SQLExceptions through unwrapped, for callers that classify. */
    public <T> T inAutoCommitChecked(TxWork<T> work) throws SQLException {
        RetryPolicy policy = retryPolicy;
        for (int attempt = 1; ; attempt++) {
            Connection c;
            try {
                c = pool.getConnection();
            } catch (SQLException e) { // nothing ran
                if (!dialect.isTransient(e) || attempt >= policy.maxAttempts()) {
                    throw new DatabaseException(describe(e), e);
                }
                retries.increment();
                backoff(policy, attempt);
                continue;
            }
            try (c) {
                faults.beforeCommit(c, attempt);
                T result = work.run(c);
                commits.increment();
                return result;
            } catch (SQLException e) {
                if (dialect.isConnectionLoss(e)) {
                    throw new CommitOutcomeUnknownException(describe(e), e);
                }
                if (!dialect.isTransient(e) || attempt >= policy.maxAttempts()) {
                    throw e;
                }
                retries.increment();
                backoff(policy, attempt);
            }
        }
    }

    /** Runs one auto-committed statement-level piece of work (no transaction spanning statements), no retries. */
    public <T> T autoCommit(TxWork<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new DatabaseException(describe(e), e);
        }
    }

    public static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    private static void backoff(RetryPolicy policy, int attempt) {
        long base = policy.delayAfter(attempt).toMillis();
        long jitter = base <= 1 ? 0 : ThreadLocalRandom.current().nextLong(base / 2 + 1);
        // sleeps between half and all of the nominal delay
        try {
            Thread.sleep(base - base / 2 + jitter);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("interrupted while backing off before a retry");
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException r) {
            cause.addSuppressed(r);
        }
    }

    private static void resetQuietly(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the pool evicts a broken connection on its own
        }
    }

    static String describe(SQLException e) {
        String state = e.getSQLState();
        String msg = firstLine(e.getMessage());
        return state == null ? msg : msg + " [SQLSTATE " + state + "]";
    }

    /** The innermost cause's message, first line only: what a user sees for a failed connection. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return firstLine(m == null ? t.getClass().getSimpleName() : m);
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "";
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }

    @Override
    public void close() {
        try {
            if (config.dropSchemaOnClose() && config.schema() != null && kind() == DbKind.POSTGRESQL
                    && !pool.isClosed()) {
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + config.schema() + " CASCADE");
                } catch (SQLException e) {
                    // the schema stays behind; it is named per run, so it never leaks rows into another run
                }
            }
        } finally {
            pool.close();
        }
    }
}
