package io.stresslab.stress.scenarios.orch;

import io.stresslab.core.db.Database;
import io.stresslab.core.orch.LockGrant;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The history of critical sections, kept in the database table {@code critical_sections} so that it survives a
 * worker's death: a worker records "entered" right after its acquire returned and "exited" right before it releases,
 * in wall-clock epoch microseconds (one clock for every process on the host). Two sections of one resource overlap if
 * one was entered before the other was exited: with a working lock, exit → release → acquire → enter orders them.
 */
final class CriticalSectionLog {
    private CriticalSectionLog() {
    }

    /** Records entry by the grant's owner; returns the entry time, which {@link #exit} needs. */
    static long enter(Database db, LockGrant grant) {
        long now = nowMicros();
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO critical_sections (resource_name, worker, "
                    + "fencing_token, entered_at_micros) VALUES (?, ?, ?, ?)")) {
                Database.bind(ps, grant.resource(), grant.owner(), grant.token(), now);
                return ps.executeUpdate();
            }
        });
        return now;
    }

    static void exit(Database db, LockGrant grant, long enteredMicros) {
        long now = nowMicros();
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE critical_sections SET exited_at_micros = ? "
                    + "WHERE resource_name = ? AND worker = ? AND entered_at_micros = ?")) {
                Database.bind(ps, now, grant.resource(), grant.owner(), enteredMicros);
                return ps.executeUpdate();
            }
        });
    }

    static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    record Section(String resource, String worker, long token, long entered, Long exited) {
        @Override
        public String toString() {
            return worker + "@" + resource + "[token " + token + ", " + entered + ".." + (exited == null ? "never"
                    : exited) + " µs]";
        }
    }

    /**
     * Closed sections, overlapping pairs (at most {@code maxExamples} listed, all counted) and abandoned sections
     * (never exited: their owner died inside; they are not counted as overlaps — a dead worker is inside nothing).
     */
    record Analysis(int closed, int abandoned, int overlaps, List<String> examples) {
    }

    static Analysis analyse(Database db, int maxExamples) {
        List<Section> all = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT resource_name, worker, fencing_token, "
                    + "entered_at_micros, exited_at_micros FROM critical_sections "
                    + "ORDER BY resource_name, entered_at_micros");
                 ResultSet rs = ps.executeQuery()) {
                List<Section> out = new ArrayList<>();
                while (rs.next()) {
                    long exitedMicros = rs.getLong(5);
                    Long exited = rs.wasNull() ? null : exitedMicros;
                    out.add(new Section(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), exited));
                }
                return out;
            }
        });
        int closed = 0;
        int abandoned = 0;
        int overlaps = 0;
        List<String> examples = new ArrayList<>();
        Section widest = null; // the closed section of the current resource that exits last so far
        for (Section s : all) {
            if (s.exited() == null) {
                abandoned++;
                continue;
            }
            closed++;
            if (widest != null && !widest.resource().equals(s.resource())) {
                widest = null;
            }
            if (widest != null && s.entered() < widest.exited()) {
                overlaps++;
                if (examples.size() < maxExamples) {
                    examples.add(s + " entered while " + widest + " was inside");
                }
            }
            if (widest == null || s.exited() > widest.exited()) {
                widest = s;
            }
        }
        return new Analysis(closed, abandoned, overlaps, examples);
    }
}
