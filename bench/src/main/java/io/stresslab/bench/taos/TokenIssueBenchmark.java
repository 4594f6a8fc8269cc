package io.stresslab.bench.taos;

import io.stresslab.bench.BenchDatabase;
import io.stresslab.core.db.Database;
import io.stresslab.core.taos.AgentTokenStore;
import io.stresslab.core.taos.IssuedToken;
import io.stresslab.core.taos.LockedRotateTokenStore;
import io.stresslab.core.taos.SerializedTokenStore;
import io.stresslab.core.taos.TokenSecrets;
import io.stresslab.core.taos.TokenTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
 * TAOS-2: agent tokens issued per second, run with 1 and 2 threads. Every operation issues the first token of a NEW
 * agent, and every thread has its own agents ({@code agent-<thread>-<n>}): this is a throughput measurement, not a
 * race — no two operations ever touch the same agent, so both variants succeed every time and the before's race
 * never fires (the checks show that). {@code in-process-lock} is the seed's Pass 1 store (before: under an in-process
 * lock, a revoke that finds nothing then an insert, two autocommit statements); {@code serialized-per-agent} the
 * fixed store (after: one transaction that creates-or-locks the agent's owner row in one statement, then
 * inserts; on this indexed table the index refuses a second active token). Both run
 * on the production table {@code agent_tokens} with its one-active-token index. The
 * {@code ceiling} is the bare INSERT of a token row (a fresh secret's SHA-256, returning the row id as an issue must)
 * through JDBC in autocommit, on each thread's own connection: an issue with no lock, no check and no transaction.
 * The {@code floor} is what a per-agent serialized issue cannot do without, through bare JDBC on each thread's own
 * connection: one transaction that creates-or-locks the agent's owner row and inserts the token (two statements and
 * a commit against the ceiling's one autocommit statement). The issue time must be taken after the lock, so the two
 * statements cannot be folded into one sent before it (see {@link SerializedTokenStore}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenIssueBenchmark {
    @Param({"in-process-lock", "serialized-per-agent", "ceiling", "floor"})
    public String variant;

    @Param({"h2"})
    public String db;

    private Database database;
    private AgentTokenStore store;
    private final AtomicInteger threadIds = new AtomicInteger();

    /** Each thread's agent names, and for the ceiling and the floor its own connection and statements. */
    @State(Scope.Thread)
    public static class Issuer {
        String prefix;
        long next;
        Connection connection;
        PreparedStatement insert;
        PreparedStatement lockOwner; // the floor's: create-or-lock the agent's row, in the issue's transaction

        @Setup(Level.Trial)
        public void setUp(TokenIssueBenchmark bench) throws SQLException {
            prefix = "agent-" + bench.threadIds.getAndIncrement() + "-";
            if (bench.store == null) {
                connection = bench.database.dataSource().getConnection();
                boolean floor = bench.variant.equals("floor"); // two statements in one transaction
                connection.setAutoCommit(!floor);
                if (floor) {
                    lockOwner = connection.prepareStatement(bench.database.dialect().insertOrLock(
                            "agent_token_owners", "agent_id"));
                }
                insert = connection.prepareStatement("INSERT INTO " + TokenTable.WITH_ACTIVE_INDEX.tableName()
                        + " (agent_id, token_hash, issued_at) VALUES (?, ?, ?)", new String[] {"id"});
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws SQLException {
            if (connection != null) {
                connection.close();
            }
        }

        String nextAgent() {
            return prefix + next++;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        database = BenchDatabase.open(db, "bench_taos2", 8);
        store = switch (variant) {
            case "in-process-lock" -> new LockedRotateTokenStore(database, TokenTable.WITH_ACTIVE_INDEX,
                    Clock.systemUTC());
            case "serialized-per-agent" -> new SerializedTokenStore(database, TokenTable.WITH_ACTIVE_INDEX,
                    Clock.systemUTC());
            case "ceiling", "floor" -> null;
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    @Benchmark
    public long issue(Issuer issuer) throws SQLException {
        String agent = issuer.nextAgent();
        if (store != null) {
            IssuedToken token = store.issue(agent);
            return token.tokenId();
        }
        if (issuer.lockOwner != null) {
            issuer.lockOwner.setString(1, agent);
            issuer.lockOwner.executeUpdate();
        }
        Database.bind(issuer.insert, agent, TokenSecrets.hash(TokenSecrets.newSecret()),
                OffsetDateTime.now(ZoneOffset.UTC));
        issuer.insert.executeUpdate();
        long id;
        try (ResultSet keys = issuer.insert.getGeneratedKeys()) {
            keys.next();
            id = keys.getLong(1);
        }
        if (issuer.lockOwner != null) {
            issuer.connection.commit();
        }
        return id;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        database.close();
    }
}
