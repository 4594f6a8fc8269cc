package io.stresslab.bench;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * PostgreSQL's own ceiling for the database pairs: the after variant's SQL statements, run by {@code pgbench} against
 * the same server in the same bench run, in a schema migrated like the benchmarks' (so the same tables and indexes).
 * pgbench runs the statements with no JVM, no JDBC driver and no pool: what is left of the after variant's time is
 * the server's own work plus one client round trip per statement. Each client works on its own rows (its own agents,
 * keys, lock resource), as the JMH ceilings do, so contention is not part of this ceiling.
 *
 * <p>Scores are in the JMH benchmark's unit: throughput benchmarks get pgbench's transactions per second (all
 * clients), sample-mode benchmarks its average latency in milliseconds (per transaction, per client).
 */
final class Pgbench {
    /** A script of the statements one benchmark operation runs, and how to set up its rows. */
    record Script(String body, List<String> setup) {
    }

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");

    private final Path executable;
    private final DbConfig config;
    private final Database schema;

    private Pgbench(Path executable, Database schema) {
        this.executable = executable;
        this.schema = schema;
        this.config = schema.config();
    }

    /** pgbench on PATH, in Debian's {@code /usr/lib/postgresql/N/bin}, or {@code -Dstresslab.pgbench}; else empty. */
    static Optional<Path> find() {
        String configured = System.getProperty("stresslab.pgbench");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, "pgbench"));
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.sorted().map(v -> v.resolve("bin/pgbench")).forEach(candidates::add);
            } catch (IOException e) {
                // not listable: PATH only
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** Opens a fresh migrated schema on the benchmarks' PostgreSQL server for pgbench's tables. */
    static Pgbench open(Path executable) {
        return new Pgbench(executable, BenchDatabase.open("postgresql", "bench_pgbench", 2));
    }

    /**
     * The script for one benchmark configuration, or empty where there is none (in-memory pairs, KAGENT-2's refresh
     * and the variants whose after has no single SQL shape). {@code params} are the configuration's JMH params.
     */
    static Optional<Script> script(String benchmark, Map<String, String> params) {
        String upsert = "INSERT INTO agents (id, type, config, created_at, updated_at) VALUES ('agent-' || :a,"
                + " 'Declarative', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) ON CONFLICT (id) DO UPDATE SET"
                + " type = EXCLUDED.type, config = EXCLUDED.config, created_at = CURRENT_TIMESTAMP,"
                + " updated_at = CURRENT_TIMESTAMP;\n";
        String key = "'k-' || :client_id || '-' || :n";
        String lockRow = "'pgb-res-' || :client_id"; // client ids start at 0
        return Optional.ofNullable(switch (benchmark) {
            // KAGENT-1 after: the reconcile's one upsert (Dialect.upsert), autocommit, over 64 agents as the bench
            case "io.stresslab.bench.kagent.AgentUpsertDuringRemoteCallBenchmark.agentUpsert" -> new Script(
                    "\\set a random(0, 63)\n" + upsert, List.of());
            // TAOS-2 after: issue = one transaction: create-or-lock the agent's owner row, INSERT its token
            case "io.stresslab.bench.taos.TokenIssueBenchmark.issue" -> new Script(
                    "\\set n random(1, 9000000000000000000)\nBEGIN;\n"
                    + "INSERT INTO agent_token_owners (agent_id) VALUES ('pgb-' || :client_id || '-' || :n)"
                    + " ON CONFLICT (agent_id) DO UPDATE SET agent_id = EXCLUDED.agent_id;\n"
                    + "INSERT INTO agent_tokens (agent_id, token_hash, issued_at) VALUES ('pgb-' || :client_id || '-'"
                    + " || :n, md5(:n::text) || md5(:client_id::text), CURRENT_TIMESTAMP) RETURNING id;\nCOMMIT;\n",
                    List.of());
            // TAOS-3 after: a new key is read (miss), inserted if absent, completed; a hot key is one read
            case "io.stresslab.bench.taos.DatabaseIdempotencyBenchmark.request" -> "hot".equals(params.get("keys"))
                    ? new Script("SELECT fingerprint, state, owner, generation, lease_expires_at, response_status,"
                            + " response_body FROM idempotency_keys WHERE scope_key = 'pgb-hot';\n",
                            List.of("INSERT INTO idempotency_keys (scope_key, fingerprint, state, owner, generation,"
                                    + " lease_expires_at, response_status, response_body, created_at, completed_at)"
                                    + " VALUES ('pgb-hot', 'sha256:5f2b', 'DONE', 'pgbench', 1, CURRENT_TIMESTAMP"
                                    + " + INTERVAL '1 day', 201, '{\"agent\":\"research-agent\"}', CURRENT_TIMESTAMP,"
                                    + " CURRENT_TIMESTAMP) ON CONFLICT (scope_key) DO NOTHING"))
                    : new Script("\\set n random(1, 9000000000000000000)\n"
                            + "SELECT fingerprint, state, owner, generation, lease_expires_at, response_status,"
                            + " response_body FROM idempotency_keys WHERE scope_key = " + key + ";\n"
                            + "INSERT INTO idempotency_keys (scope_key, fingerprint, state, owner, generation,"
                            + " lease_expires_at, created_at) VALUES (" + key + ", 'sha256:5f2b', 'PENDING',"
                            + " 'pgbench', 1, CURRENT_TIMESTAMP + INTERVAL '30 seconds', CURRENT_TIMESTAMP)"
                            + " ON CONFLICT (scope_key) DO NOTHING;\n"
                            + "UPDATE idempotency_keys SET state = 'DONE', response_status = 201, response_body ="
                            + " '{\"agent\":\"research-agent\"}', completed_at = CURRENT_TIMESTAMP, lease_expires_at ="
                            + " CURRENT_TIMESTAMP + INTERVAL '1 hour' WHERE scope_key = " + key
                            + " AND owner = 'pgbench' AND state = 'PENDING';\n", List.of());
            // ORCH-2 after: acquire = UPDATE … RETURNING the token, release = UPDATE fenced by it (with its NOTIFY)
            case "io.stresslab.bench.orch.LockAcquireReleaseBenchmark.lockCycle" -> new Script(
                    "UPDATE lock_tracking SET locked_by = 'pgbench', locked_at = CURRENT_TIMESTAMP, lease_expires_at ="
                    + " (CURRENT_TIMESTAMP + CAST(30000 AS DOUBLE PRECISION) * INTERVAL '1 millisecond'),"
                    + " fencing_token = fencing_token + 1 WHERE resource_name = " + lockRow + " AND"
                    + " (lease_expires_at IS NULL OR lease_expires_at < CURRENT_TIMESTAMP) RETURNING fencing_token"
                    + " AS token \\gset\n"
                    + "WITH u AS (UPDATE lock_tracking SET lease_expires_at = NULL WHERE resource_name = " + lockRow
                    + " AND fencing_token = :token AND lease_expires_at IS NOT NULL RETURNING resource_name)"
                    + " SELECT pg_notify('stresslab_lock_release_pgbench', resource_name) FROM u;\n",
                    List.of("INSERT INTO lock_tracking (resource_name, locked_at, locked_by, fencing_token)"
                            + " SELECT 'pgb-res-' || i, CURRENT_TIMESTAMP, 'pgbench', 0 FROM generate_series(0, 63) i"
                            + " ON CONFLICT (resource_name) DO NOTHING"));
            default -> null;
        });
    }

    /**
     * Runs {@code script} with {@code clients} clients (one pgbench thread each): a warm-up of {@code warmupSeconds},
     * then the measured run of {@code seconds}. Returns the score in the benchmark's unit (see the class comment).
     */
    double run(Script script, int clients, int warmupSeconds, int seconds, boolean sampleMode)
            throws IOException, InterruptedException {
        try (Connection c = schema.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String sql : script.setup()) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IOException("pgbench setup failed: " + e.getMessage(), e);
        }
        BenchDatabase.checkpoint(schema); // as every JMH trial on PostgreSQL starts (BenchDatabase)
        Path file = Files.createTempFile("stresslab-pgbench", ".sql");
        try {
            Files.writeString(file, script.body(), StandardCharsets.UTF_8);
            if (warmupSeconds > 0) {
                invoke(file, clients, warmupSeconds);
            }
            String out = invoke(file, clients, seconds);
            Matcher m = (sampleMode ? LATENCY : TPS).matcher(out);
            if (!m.find()) {
                throw new IOException("pgbench printed no " + (sampleMode ? "latency average" : "tps") + ": "
                        + out.lines().reduce((a, b) -> b).orElse(""));
            }
            return Double.parseDouble(m.group(1));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private String invoke(Path file, int clients, int seconds) throws IOException, InterruptedException {
        URI uri = URI.create(config.jdbcUrl().substring("jdbc:".length()));
        List<String> cmd = new ArrayList<>(List.of(executable.toString(), "-n", "-f", file.toString(),
                "-c", Integer.toString(clients), "-j", Integer.toString(clients), "-T", Integer.toString(seconds),
                "-h", uri.getHost() == null ? "localhost" : uri.getHost(),
                "-p", Integer.toString(uri.getPort() < 0 ? 5432 : uri.getPort()),
                "-U", config.user() == null ? "postgres" : config.user()));
        cmd.add(uri.getPath() == null || uri.getPath().length() < 2 ? "postgres" : uri.getPath().substring(1));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PGOPTIONS", "-c search_path=" + config.schema());
        if (config.password() != null && !config.password().isEmpty()) {
            pb.environment().put("PGPASSWORD", config.password());
        }
        Process p = pb.start();
        byte[] bytes = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("pgbench did not finish within " + (seconds + 60) + " s");
        }
        String out = new String(bytes, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("pgbench exited with " + p.exitValue() + ": "
                    + out.lines().filter(l -> l.contains("error")).findFirst().orElse(out.strip()));
        }
        return out;
    }

    void close() {
        schema.close();
    }
}
