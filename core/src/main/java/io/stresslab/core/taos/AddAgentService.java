package io.stresslab.core.taos;

import io.stresslab.core.db.Database;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * taOS's {@code POST /api/agents} with an Idempotency-Key (TAOS-1, TAOS-3): the handler slugs the name and, when the
 * slug is taken, tries {@code -2}, {@code -3}, … — the loop that turns a second execution for the same key into a
 * silent duplicate agent instead of an error. Deduplication is entirely the injected {@link IdempotencyStore}'s job;
 * the handler is one transaction handed to {@link IdempotencyStore#executeInTransaction}, so a database-backed store
 * commits the agent row together with the key's completion.
 */
public final class AddAgentService {
    public static final String PATH = "/api/agents";
    public static final int MAX_NAME_LENGTH = 200;
    private static final int MAX_SUFFIX = 1000;

    private final Database db;
    private final IdempotencyStore store;
    private final Clock clock;
    private final Duration wait;
    private final long configSaveNanos;

    /** @param wait how long a caller waits for another caller's in-flight request with the same key */
    public AddAgentService(Database db, IdempotencyStore store, Clock clock, Duration wait) {
        this(db, store, clock, wait, Duration.ZERO);
    }

    /**
     * @param configSave how long the handler spends saving the agent's config after inserting its row (taOS awaits a
     *                   file write there, the window in which a retry arrives mid-execution); zero for none
     */
    public AddAgentService(Database db, IdempotencyStore store, Clock clock, Duration wait, Duration configSave) {
        this.db = Objects.requireNonNull(db, "db");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.wait = Objects.requireNonNull(wait, "wait");
        if (configSave == null || configSave.isNegative()) {
            throw new IllegalArgumentException("configSave must be zero or positive, was " + configSave);
        }
        this.configSaveNanos = configSave.toNanos();
    }

    /** Creates the agent once per (principal, key); every caller with the key gets the same response. */
    public StoredResponse addAgent(String principal, String idempotencyKey, String name) {
        requireName(name);
        return store.executeInTransaction(db, key(principal, idempotencyKey), fingerprint(name), c -> create(c, name),
                wait);
    }

    /** The scoped key of an add-agent request. */
    public static IdempotencyKey key(String principal, String idempotencyKey) {
        return new IdempotencyKey("POST", PATH, principal, idempotencyKey);
    }

    /**
     * The handler, one transaction: the first free slug of {@code name}, {@code name-2}, {@code name-3}, … gets a new
     * row (a taken slug is rolled back to a savepoint, so the transaction goes on, on PostgreSQL too).
     */
    private StoredResponse create(Connection c, String name) throws SQLException {
        String base = slug(name);
        for (int n = 1; n <= MAX_SUFFIX; n++) {
            String slug = n == 1 ? base : base + "-" + n;
            Savepoint beforeInsert = c.setSavepoint();
            try {
                long id = insert(c, name, slug);
                if (configSaveNanos > 0) {
                    LockSupport.parkNanos(configSaveNanos); // save_config_locked: off the CPU, like a file write
                }
                return new StoredResponse(201, "{\"id\":" + id + ",\"slug\":\"" + slug + "\"}");
            } catch (SQLException e) {
                if (!db.dialect().isUniqueViolation(e)) {
                    throw e;
                }
                c.rollback(beforeInsert);
            }
        }
        throw new IllegalStateException("no free slug for '" + base + "' after " + MAX_SUFFIX + " tries");
    }

    private long insert(Connection c, String name, String slug) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO taos_agents (name, slug, created_at) VALUES (?, ?, ?)", new String[] {"id"})) {
            Database.bind(ps, name, slug, TokenTable.utc(clock.instant()));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Lower-case letters and digits, runs of anything else as one '-'. */
    static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "agent" : s;
    }

    /** The request fingerprint: SHA-256 of the request body (here, the name). */
    public static String fingerprint(String name) {
        return HexFormat.of().formatHex(TokenSecrets.sha256(name.getBytes(StandardCharsets.UTF_8)));
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("agent name must not be empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("agent name is " + name.length() + " characters; at most "
                    + MAX_NAME_LENGTH + " allowed");
        }
    }
}
