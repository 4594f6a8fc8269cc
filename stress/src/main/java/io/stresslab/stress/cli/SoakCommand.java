package io.stresslab.stress.cli;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import io.stresslab.core.db.DbKind;
import io.stresslab.stress.harness.DatabaseTarget;
import io.stresslab.stress.harness.RunSettings;
import io.stresslab.stress.scenarios.orch.LeaseSoak;
import io.stresslab.stress.scenarios.taos.SharedKeysSoak;
import io.stresslab.stress.soak.Soak;
import io.stresslab.stress.soak.SoakWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stresslab soak}: the after variants' multi-worker workloads for a long time, under faults, in bounded memory.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Runs our after variants' multi-worker workloads (ORCH-2 lease-fencing lock manager, TAOS-3 "
                + "shared idempotency store) for --duration under faults and checks their histories live, in bounded "
                + "memory (streamed through per-key judges, never merged).",
                "The duration is shared in consecutive segments of at most --segment, the workloads taking turns "
                        + "(orch2, taos3, orch2, ...); each segment is one campaign with its own seeded fault "
                        + "schedule (kill -9 of a worker, pg_terminate_backend on PostgreSQL, 5 % injected transient "
                        + "commit failures), so a long soak repeats the faults. Worker start-up (1-2 s per segment) "
                        + "comes on top of the duration.",
                "Prints a progress line every 10 s; writes <out>/soak.json. Exit 0: no violation and no hang; "
                        + "1: some; 2: bad input."})
public final class SoakCommand implements Callable<Integer> {
    @Option(names = "--duration", defaultValue = "10m", converter = DurationConverter.class,
            description = "Total time of the workloads, e.g. 60s, 10m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--segment", defaultValue = "60s", converter = DurationConverter.class,
            description = "Longest single campaign; the workloads alternate segment by segment "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration segment;

    @Option(names = "--workers", defaultValue = "4",
            description = "Worker JVMs per campaign (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--db", paramLabel = "h2|postgresql", defaultValue = "h2",
            description = "Database engine (default: ${DEFAULT-VALUE}; H2 as files under --out).")
    String db;

    @Option(names = "--pg-url", paramLabel = "URL",
            defaultValue = "${env:STRESSLAB_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}",
            description = "PostgreSQL JDBC URL for --db postgresql (default: $STRESSLAB_PG_URL or ${DEFAULT-VALUE}).")
    String pgUrl;

    @Option(names = "--user", defaultValue = "postgres", description = "Database user (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--password", defaultValue = "${env:STRESSLAB_PG_PASSWORD:-}", arity = "0..1",
            description = "Database password (default: $STRESSLAB_PG_PASSWORD).")
    String password;

    @Option(names = "--seed", description = "Seed of the segments' worker seeds and fault schedules (default: random).")
    Long seed;

    @Option(names = "--faults", paramLabel = "LIST", defaultValue = "all",
            description = "Faults, comma-separated (the run's fault kinds, e.g. kill,terminate,transient), 'none', "
                    + "or 'all' (default: every fault that applies to the database).")
    String faults;

    @Option(names = "--workload", paramLabel = "LIST", defaultValue = "orch2,taos3",
            description = "Workloads, comma-separated: orch2, taos3 (default: ${DEFAULT-VALUE}).")
    String workloads;

    @Option(names = "--out", defaultValue = "stresslab-out/soak", paramLabel = "DIR",
            description = "Output folder: soak.json, work/, h2/ (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        var err = System.err;
        if (workers < 1 || workers > 64) {
            err.println("stresslab: --workers must be between 1 and 64, was " + workers);
            return StresslabCli.EXIT_BAD_INPUT;
        }
        if (segment.compareTo(Duration.ofSeconds(1)) < 0) {
            err.println("stresslab: --segment must be at least 1s, was " + segment);
            return StresslabCli.EXIT_BAD_INPUT;
        }
        Set<RunSettings.Fault> faultSet;
        try {
            faultSet = faults.trim().equalsIgnoreCase("all") ? Set.of(RunSettings.Fault.values())
                    : RunSettings.Fault.parse(faults);
        } catch (IllegalArgumentException e) {
            err.println("stresslab: " + e.getMessage());
            return StresslabCli.EXIT_BAD_INPUT;
        }
        List<SoakWorkload> selected = new ArrayList<>();
        for (String w : workloads.split(",")) {
            switch (w.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "orch2", "orch-2" -> selected.add(new LeaseSoak());
                case "taos3", "taos-3" -> selected.add(new SharedKeysSoak());
                default -> {
                    err.println("stresslab: unknown --workload '" + w.trim() + "': expected orch2 or taos3");
                    return StresslabCli.EXIT_BAD_INPUT;
                }
            }
        }
        try {
            Files.createDirectories(out.resolve("work"));
            Files.createDirectories(out.resolve("h2"));
            Files.delete(Files.createTempFile(out.resolve("work"), "probe", ".tmp"));
        } catch (Exception e) {
            err.println("stresslab: cannot write to --out " + out + ": " + StresslabCli.oneLine(e));
            return StresslabCli.EXIT_BAD_INPUT;
        }
        DatabaseTarget target;
        try {
            DbKind kind = DbKind.fromId(db);
            if (kind == DbKind.H2) {
                target = DatabaseTarget.h2Files(out.resolve("h2"));
            } else {
                if (DbKind.fromJdbcUrl(pgUrl) != DbKind.POSTGRESQL) {
                    throw new IllegalArgumentException("--pg-url must be a jdbc:postgresql:// URL");
                }
                Database.verifyReachable(DbConfig.of(pgUrl, user, password));
                target = DatabaseTarget.postgres(pgUrl, user, password);
            }
        } catch (RuntimeException e) {
            err.println("stresslab: " + StresslabCli.oneLine(e));
            return StresslabCli.EXIT_BAD_INPUT;
        }
        long s = seed == null ? System.nanoTime() : seed;
        System.out.println("stresslab soak: " + duration.toSeconds() + " s of " + selected.stream()
                .map(SoakWorkload::describe).toList() + " in segments of at most " + segment.toSeconds() + " s, "
                + workers + " workers, " + target.describe() + ", faults " + faultSet + ", seed " + s);
        Map<String, Object> rec = Soak.run(new Soak.Options(duration, segment, workers, target, s, faultSet, out,
                Duration.ofSeconds(10)), selected, System.out);
        return Soak.exitCode(rec);
    }
}
