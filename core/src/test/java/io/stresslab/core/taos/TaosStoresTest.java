package io.stresslab.core.taos;

import io.stresslab.core.concurrent.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DatabaseException;
import io.stresslab.core.db.DbConfig;
import io.stresslab.core.db.PgSettings;
import io.stresslab.core.taos.DatabaseIdempotencyStore.Completed;
import io.stresslab.core.taos.DatabaseIdempotencyStore.Owned;
import io.stresslab.core.taos.DatabaseIdempotencyStore.Pending;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Single-threaded behaviour and bad inputs of the TAOS stores, on H2 and — when {@code -Dstresslab.pg.url} is set —
 * on PostgreSQL in a throw-away schema. The concurrent checks live in the stress module.
 */
class TaosStoresTest {
    private Database db;
    private final ManualClock clock = new ManualClock();

    static Stream<String> databases() {
        return PgSettings.configured().isEmpty() ? Stream.of("h2") : Stream.of("h2", "postgresql");
    }

    private void open(String kind) {
        String unique = "taos_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        db = Database.open(kind.equals("h2")
                ? DbConfig.of("jdbc:h2:mem:" + unique + ";DB_CLOSE_DELAY=0", "sa", "")
                : PgSettings.configured().orElseThrow().config().withSchema(unique, true));
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void badInputsFailWithOneLine(String database) {
        open(database);
        assertThatThrownBy(() -> new IdempotencyKey("POST", "/a", "u", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Idempotency-Key must not be empty");
        assertThatThrownBy(() -> new IdempotencyKey("POST", "/a", "u", "k".repeat(10_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Idempotency-Key is 10000 characters; at most 255 allowed");
        for (AgentTokenStore s : new AgentTokenStore[] {
                new SerializedTokenStore(db, TokenTable.WITH_ACTIVE_INDEX, clock),
                new LockedRotateTokenStore(db, TokenTable.WITH_ACTIVE_INDEX, clock)}) {
            assertThatThrownBy(() -> s.issue(null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("agent id must not be null");
            assertThatThrownBy(() -> s.rotate("")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("agent id must not be blank");
            assertThatThrownBy(() -> s.validate("a".repeat(10_000), "x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("agent id is 10000 characters; at most 255 allowed");
        }
        DatabaseIdempotencyStore store = new DatabaseIdempotencyStore(db, clock);
        IdempotencyKey key = new IdempotencyKey("POST", "/a", "u", "k");
        assertThatThrownBy(() -> store.reserve(key, "f".repeat(129))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("request fingerprint is 129 characters; at most 128 allowed");
        AddAgentService service = new AddAgentService(db, store, clock, Duration.ofSeconds(1));
        assertThatThrownBy(() -> service.addAgent("u", "k", " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("agent name must not be empty");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void schemaAllowsOneActiveTokenPerAgentOnly(String database) {
        open(database);
        LockedRotateTokenStore store = new LockedRotateTokenStore(db, TokenTable.WITH_ACTIVE_INDEX, clock);
        store.issue("a1");
        assertThatThrownBy(() -> db.autoCommit(c -> TokenTable.WITH_ACTIVE_INDEX.insert(c, "a1", clock.instant())))
                .isInstanceOf(DatabaseException.class).extracting(e -> ((DatabaseException) e).sqlState())
                .isEqualTo("23505");
        store.rotate("a1"); // revoked rows do not count
        store.rotate("a1");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void serializedStoreIssuesOnceRotatesRevokesAndValidates(String database) {
        open(database);
        SerializedTokenStore store = new SerializedTokenStore(db, TokenTable.WITH_ACTIVE_INDEX, clock);
        IssuedToken first = store.issue("agent-1");
        assertThat(first.toString()).doesNotContain(first.secret());
        assertThatThrownBy(() -> store.issue("agent-1")).isInstanceOf(ActiveTokenExistsException.class)
                .hasMessage("agent agent-1 already has an active token");
        assertThat(store.validate("agent-1", first.secret())).isTrue();
        assertThat(store.validate("agent-1", "wrong")).isFalse();
        assertThat(store.validate("agent-2", first.secret())).isFalse();

        IssuedToken second = store.rotate("agent-1");
        assertThat(store.validate("agent-1", first.secret())).isFalse();
        assertThat(store.validate("agent-1", second.secret())).isTrue();

        assertThat(store.revoke("agent-1")).isEqualTo(1);
        assertThat(store.validate("agent-1", second.secret())).isFalse();
        IssuedToken third = store.issue("agent-1");
        assertThat(store.validate("agent-1", third.secret())).isTrue();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void idempotencyStoreRunsOnceReplaysAndRefusesAnotherBody(String database) {
        open(database);
        DatabaseIdempotencyStore store = new DatabaseIdempotencyStore(db, clock, Duration.ofSeconds(30),
                Duration.ofHours(1));
        IdempotencyKey key = new IdempotencyKey("POST", "/api/agents", "alice", "k1");
        AtomicInteger runs = new AtomicInteger();
        StoredResponse r1 = store.execute(key, "fp", () -> new StoredResponse(201, "#" + runs.incrementAndGet()),
                Duration.ZERO);
        StoredResponse r2 = store.execute(key, "fp", () -> new StoredResponse(201, "#" + runs.incrementAndGet()),
                Duration.ZERO);
        assertThat(r1).isEqualTo(r2).isEqualTo(new StoredResponse(201, "#1"));
        assertThatThrownBy(() -> store.execute(key, "other", () -> new StoredResponse(201, "x"), Duration.ZERO))
                .isInstanceOf(IdempotencyException.class)
                .hasMessage("Idempotency-Key 'k1' was already used for a different request to POST /api/agents");
        // same header, other principal: independent
        assertThat(store.execute(new IdempotencyKey("POST", "/api/agents", "bob", "k1"), "other",
                () -> new StoredResponse(201, "bob"), Duration.ZERO).body()).isEqualTo("bob");
        // after the TTL the key executes again
        clock.advance(Duration.ofHours(1));
        assertThat(store.execute(key, "fp", () -> new StoredResponse(201, "#" + runs.incrementAndGet()),
                Duration.ZERO).body()).isEqualTo("#2");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void handlerFailureReleasesTheKey(String database) {
        open(database);
        DatabaseIdempotencyStore store = new DatabaseIdempotencyStore(db, clock);
        IdempotencyKey key = new IdempotencyKey("POST", "/a", "u", "boom");
        assertThatThrownBy(() -> store.execute(key, "fp", () -> {
            throw new IllegalStateException("disk full");
        }, Duration.ZERO)).isInstanceOfSatisfying(IdempotencyException.class,
                e -> assertThat(e.reason()).isEqualTo(IdempotencyException.Reason.HANDLER_FAILED));
        StoredResponse late = new StoredResponse(200, "late");
        assertThat(store.execute(key, "fp", () -> late, Duration.ZERO)).isEqualTo(late);
        assertThat(store.execute(key, "fp", () -> new StoredResponse(200, "again"), Duration.ZERO)).isEqualTo(late);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void abandonedReservationIsTakenOverAfterItsLeaseAndTheStaleOwnerIsFenced(String database) {
        open(database);
        DatabaseIdempotencyStore store = new DatabaseIdempotencyStore(db, clock, Duration.ofSeconds(30),
                Duration.ofHours(1));
        IdempotencyKey key = new IdempotencyKey("POST", "/a", "u", "k");
        Owned dead = (Owned) store.reserve(key, "fp");
        assertThat(store.reserve(key, "fp")).isInstanceOf(Pending.class);
        assertThatThrownBy(() -> store.execute(key, "fp", () -> new StoredResponse(201, "x"), Duration.ofMillis(20)))
                .isInstanceOf(IdempotencyException.class).hasMessageContaining("is still in progress after");
        clock.advance(Duration.ofSeconds(30));
        Owned heir = (Owned) store.reserve(key, "fp");
        assertThat(heir.generation()).isEqualTo(2);
        assertThat(store.complete(dead, new StoredResponse(201, "stale"))).isFalse();
        assertThat(store.complete(heir, new StoredResponse(201, "heir"))).isTrue();
        assertThat(store.reserve(key, "fp")).isEqualTo(new Completed(new StoredResponse(201, "heir")));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aTransactionalSideEffectOfAnOwnerTakenOverMeanwhileRollsBack(String database) {
        open(database);
        DatabaseIdempotencyStore store = new DatabaseIdempotencyStore(db, clock);
        IdempotencyKey key = new IdempotencyKey("POST", "/a", "u", "k");
        AtomicInteger heirs = new AtomicInteger();
        assertThatThrownBy(() -> store.executeInTransaction(db, key, "fp", c -> {
            try (var ps = c.prepareStatement("INSERT INTO taos_agents (name, slug, created_at) VALUES (?, ?, ?)")) {
                Database.bind(ps, "a", "a", java.time.OffsetDateTime.now(ZoneOffset.UTC));
                ps.executeUpdate();
            }
            if (heirs.get() == 0) { // our lease runs out mid-handler and another caller takes the key over
                clock.advance(Duration.ofSeconds(31));
                assertThat(store.reserve(key, "fp")).isInstanceOf(Owned.class);
                heirs.incrementAndGet();
            }
            return new StoredResponse(201, "mine");
        }, Duration.ofMillis(20))).isInstanceOf(IdempotencyException.class)
                .hasMessageContaining("is still in progress after");
        int agentRows = db.autoCommit(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM taos_agents")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(agentRows).as("the fenced-out owner's agent row was rolled back with its failed completion")
                .isZero();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void addAgentSuffixesATakenSlug(String database) {
        open(database);
        AddAgentService service = new AddAgentService(db, new DatabaseIdempotencyStore(db, clock), clock,
                Duration.ofSeconds(1));
        assertThat(service.addAgent("u", "k1", "My Agent").body()).endsWith("\"slug\":\"my-agent\"}");
        assertThat(service.addAgent("u", "k1", "My Agent").body()).endsWith("\"slug\":\"my-agent\"}");
        assertThat(service.addAgent("u", "k2", "My Agent").body()).endsWith("\"slug\":\"my-agent-2\"}");
    }

}
