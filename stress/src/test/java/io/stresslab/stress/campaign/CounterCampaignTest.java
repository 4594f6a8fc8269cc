package io.stresslab.stress.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import io.stresslab.core.db.DbKind;
import io.stresslab.stress.harness.DatabaseTarget;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.history.CommittedWritesChecker;
import io.stresslab.stress.history.HistoryChecker;
import io.stresslab.stress.history.LinearizabilityChecker;
import io.stresslab.stress.history.Op;
import io.stresslab.stress.history.RegisterModel;
import io.stresslab.kit.PostgresTarget;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The campaign engine end to end: 3 worker JVMs × 2 threads incrementing 2 shared counters for 2.5 s, with one
 * worker killed -9 mid-run, 5 % of commits failed with injected 40001/40P01, and (on PostgreSQL) the sessions of
 * another worker terminated twice. The racy read-modify-write must show lost updates and a non-linearizable history;
 * the {@code SELECT … FOR UPDATE} variant must stay linearizable and lose no acknowledged increment.
 */
class CounterCampaignTest {
    private static final int KEYS = 2;

    /** Campaign folders (histories, worker logs) and H2 files stay under the build's work folder for inspection. */
    private final Path dir = Path.of(System.getProperty("stresslab.work.dir", "target/stresslab-work"), "campaigns");

    @Test
    void h2() {
        DatabaseTarget target = DatabaseTarget.h2Files(dir.resolve("h2"));
        runBoth(target);
    }

    @Test
    void postgresql() {
        Optional<DatabaseTarget> pg = PostgresTarget.target();
        Assumptions.assumeTrue(pg.isPresent(), PostgresTarget::reason);
        runBoth(pg.get());
    }

    /**
     * The new faults on one campaign of the correct counter (PostgreSQL: the network faults go through a proxy per
     * worker): a survivor paused with SIGSTOP for 700 ms, its connections frozen for 500 ms, slowed by 20 ms each way
     * for 500 ms, reset once, two replies to its committed writes cut, and its clock 2 s ahead. Each fault must have
     * happened as scheduled (the engine did what the spec asked), the paused worker must finish normally after
     * SIGCONT, each cut commit must surface as an INFO operation, and the correct counter must still lose nothing:
     * its final value lies between the OK increments and the OK plus INFO ones.
     */
    @Test
    void nemesisOnPostgresql() {
        Optional<DatabaseTarget> pg = PostgresTarget.target();
        Assumptions.assumeTrue(pg.isPresent(), PostgresTarget::reason);
        DbConfig config = pg.get().freshConfig("counter_nemesis");
        try (Database db = Database.open(config)) {
            createCounters(db);
            CampaignSpec spec = CampaignSpec.builder("counter-nemesis", CounterWorkload.class)
                    .workers(3).threadsPerWorker(2).seed(20261130L).database(config)
                    .duration(Duration.ofMillis(4000)).deadline(Duration.ofSeconds(40)).workDir(dir)
                    .param("mode", "locked").param("keys", Integer.toString(KEYS))
                    .pause(1, Duration.ofMillis(700)).netFreeze(1, Duration.ofMillis(500)).netReset(1)
                    .netLatency(1, Duration.ofMillis(20), Duration.ofMillis(500))
                    .netCutCommit(2).clockSkew(Duration.ofSeconds(2)).build();
            assertThat(spec.schedule()).extracting(n -> n.kind().label()).containsExactlyInAnyOrder(
                    "clock-skew", "pause", "net-freeze", "net-latency", "net-reset", "net-cut-commit",
                    "net-cut-commit");
            CampaignResult r = Campaign.run(spec);
            Map<String, Long> finalValues = finalValues(db);
            r.faults().forEach(f -> System.out.println("  fault: " + f.describe()));

            assertThat(r.allWorkersHealthy()).as(String.join("; ", r.unhealthyWorkers())).isTrue();
            assertThat(r.faults()).extracting(FaultEvent::detail).anyMatch(d -> d.startsWith("SIGSTOP"))
                    .anyMatch(d -> d.startsWith("SIGCONT")).anyMatch(d -> d.contains("frozen"))
                    .anyMatch(d -> d.contains("flow again")).anyMatch(d -> d.startsWith("reset "))
                    .anyMatch(d -> d.contains("waits 20 ms")).anyMatch(d -> d.contains("full speed again"))
                    .anyMatch(d -> d.startsWith("cut the reply to a committed write"))
                    .anyMatch(d -> d.startsWith("application clock +2000 ms"));
            long ok = r.history().ops().stream().filter(o -> o.name().equals("incr") && o.ok()).count();
            long info = r.history().ops().stream()
                    .filter(o -> o.name().equals("incr") && o.status() == Op.Status.INFO).count();
            // only the COMMIT of a transaction that wrote is cut (a read's is not): each cut leaves an increment INFO
            long cuts = r.faults().stream().filter(f -> f.detail().startsWith("cut the reply")).count();
            assertThat(info).as("each cut commit leaves its increment's outcome unknown").isGreaterThanOrEqualTo(cuts);
            long total = finalValues.values().stream().mapToLong(Long::longValue).sum();
            assertThat(total).as("OK %d, INFO %d", ok, info).isBetween(ok, ok + info);
            assertThat(lostIncrements(finalValues).check(r.history())).isEmpty();
        }
    }

    /** The same seed draws the same schedule; another seed another one. */
    @Test
    void scheduleIsSeeded() {
        CampaignSpec.Builder b = CampaignSpec.builder("counter-seeded", CounterWorkload.class).workers(4)
                .duration(Duration.ofSeconds(5)).killWorkers(1).pause(2, Duration.ofMillis(600))
                .clockSkew(Duration.ofMillis(-900));
        List<Nemesis> one = b.seed(7).build().schedule();
        assertThat(b.seed(7).build().schedule()).isEqualTo(one);
        assertThat(b.seed(8).build().schedule()).isNotEqualTo(one);
        Nemesis kill = one.stream().filter(n -> n.kind() == Nemesis.Kind.KILL).findFirst().orElseThrow();
        assertThat(one).filteredOn(n -> n.kind() != Nemesis.Kind.KILL)
                .allMatch(n -> n.worker() != kill.worker(), "every other fault hits a survivor");
        assertThat(one).filteredOn(n -> n.kind() == Nemesis.Kind.PAUSE)
                .allMatch(n -> n.atMillis() + n.forMillis() <= 4250, "pauses end before 85 % of the run");
    }

    private static void createCounters(Database db) {
        db.autoCommit(c -> {
            try (Statement s = c.createStatement()) {
                s.execute(CounterWorkload.CREATE);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sl_counter (k, v) VALUES (?, 0)")) {
                for (int k = 0; k < KEYS; k++) {
                    ps.setString(1, "c" + k);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    private void runBoth(DatabaseTarget target) {
        Observation racy = campaign(target, "racy");
        Observation locked = campaign(target, "locked");
        assertThat(racy.isBugObserved()).as(racy.summary()).isTrue();
        assertThat(locked.isBugObserved()).as(locked.summary() + " " + locked.evidence()).isFalse();
    }

    /** What a scenario's check body does: run the campaign, run the checkers, return an Observation. */
    private Observation campaign(DatabaseTarget target, String mode) {
        DbConfig config = target.freshConfig("counter_" + mode);
        try (Database db = Database.open(config)) {
            createCounters(db);
            CampaignSpec.Builder spec = CampaignSpec.builder("counter-" + mode, CounterWorkload.class)
                    .workers(3).threadsPerWorker(2).seed(20261124L).database(config)
                    .duration(Duration.ofMillis(2500)).deadline(Duration.ofSeconds(30)).workDir(dir)
                    .param("mode", mode).param("keys", Integer.toString(KEYS))
                    .killWorkers(1).transientFaults(0.05);
            if (target.kind() == DbKind.POSTGRESQL) {
                spec.terminateConnections(2);
            }
            CampaignResult r = Campaign.run(spec.build());
            Map<String, Long> finalValues = finalValues(db);

            LinearizabilityChecker.Result lin = new LinearizabilityChecker<>(new RegisterModel("0"))
                    .check(r.history());
            List<HistoryChecker.Violation> violations = new ArrayList<>(lostIncrements(finalValues).check(r.history()));
            violations.addAll(neverPastAcknowledged(finalValues).check(r.history()));
            boolean bug = !lin.linearizable() || !violations.isEmpty();
            String summary = mode + " on " + target.kind().id() + ": " + lin.describe() + "; " + violations.size()
                    + " invariant violations; final " + finalValues + "; " + r.describe();
            System.out.println("stresslab campaign: " + summary);
            violations.forEach(v -> System.out.println("  " + v.describe()));
            r.faults().forEach(f -> System.out.println("  fault: " + f.describe()));
            r.unhealthyWorkers().forEach(w -> System.out.println("  " + w));

            // the engine itself must have done what the spec asked, or the check proves nothing
            assertThat(r.allWorkersHealthy()).as(String.join("; ", r.unhealthyWorkers())).isTrue();
            assertThat(r.faults()).filteredOn(f -> f.kind().equals("kill-9") && f.detail().startsWith("SIGKILL"))
                    .hasSize(1);
            assertThat(r.metricTotal("injectedTransientFaults")).isPositive();
            if (target.kind() == DbKind.POSTGRESQL) {
                assertThat(r.faults()).filteredOn(f -> f.kind().equals("pg-terminate-backend")).hasSize(2);
            }
            Observation o = Observation.of(bug, summary).operations(r.history().size());
            violations.forEach(v -> o.evidence(v.checker() + " " + v.key(), v.describe()));
            lin.failures().forEach(f -> o.evidence("linearizability " + f.key(), f.describe()));
            return r.addTo(o);
        }
    }

    private static Map<String, Long> finalValues(Database db) {
        return db.autoCommit(c -> {
            Map<String, Long> m = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT k, v FROM sl_counter");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    m.put(rs.getString(1), rs.getLong(2));
                }
            }
            return m;
        });
    }

    /** No lost update: each key's final value is at least its number of acknowledged (OK) increments. */
    private static HistoryChecker lostIncrements(Map<String, Long> finalValues) {
        return history -> {
            List<HistoryChecker.Violation> out = new ArrayList<>();
            for (Map.Entry<String, List<Op>> e : history.byKey().entrySet()) {
                long acknowledged = e.getValue().stream().filter(o -> o.name().equals("incr") && o.ok()).count();
                long fin = finalValues.getOrDefault(e.getKey(), 0L);
                if (fin < acknowledged) {
                    out.add(new HistoryChecker.Violation("lost-increments", e.getKey(), (acknowledged - fin)
                            + " of " + acknowledged + " acknowledged increments lost (final value " + fin + ")",
                            List.of()));
                }
            }
            return out;
        };
    }

    /** The committed-writes hook: every value an OK increment wrote is at most the final value. */
    private static HistoryChecker neverPastAcknowledged(Map<String, Long> finalValues) {
        return new CommittedWritesChecker("incr",
                op -> Long.parseLong(op.result()) <= finalValues.getOrDefault(op.key(), 0L));
    }
}
