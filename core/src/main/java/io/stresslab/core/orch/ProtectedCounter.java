package io.stresslab.core.orch;

import io.stresslab.core.db.Database;
import java.util.List;

/**
 * ORCH-2, both variants: the state a database lock protects: one counter per resource, changed read-modify-write by the
 * lock's holder, and a ledger row for every accepted write (so a lost update shows as two accepted writes of the same
 * value).
 *
 * <p>Fencing: {@code protected_resource.last_token} is the newest fencing token that has touched the resource. A read
 * raises it to the reader's token, and a read or write with an older token is refused with
 * {@link StaleTokenException} — so once a newer grant has touched the resource, a paused former owner can neither
 * read nor write it. Grants of a manager that issues no tokens ({@link InsertOnlyLockManager}: token 0) all pass the
 * check, which is exactly the before variant's unfenced behaviour.
 */
public final class ProtectedCounter {
    private final Database db;

    public ProtectedCounter(Database db) {
        this.db = db;
    }

    /** Creates the resource's counter at 0 if it does not exist yet. */
    public void ensure(String resource) {
        Ids.require("resource", resource);
        db.upsert("protected_resource", List.of("resource_name"), List.of(), List.of(), resource);
    }

    /** Reads the counter under {@code grant}, fencing out every older token. */
    public long read(LockGrant grant) {
        return db.inTransaction(c -> {
            if (Jdbc.update(c, "UPDATE protected_resource SET last_token = ? WHERE resource_name = ? "
                    + "AND last_token <= ?", grant.token(), grant.resource(), grant.token()) == 0) {
                throw new StaleTokenException(grant);
            }
            return Jdbc.queryLong(c, "SELECT counter FROM protected_resource WHERE resource_name = ?",
                    grant.resource());
        });
    }

    /** Writes {@code value} under {@code grant} and appends it to the ledger, in one transaction. */
    public void write(LockGrant grant, long value) {
        db.inTransaction(c -> {
            if (Jdbc.update(c, "UPDATE protected_resource SET counter = ?, last_token = ?, last_writer = ? "
                    + "WHERE resource_name = ? AND last_token <= ?", value, grant.token(), grant.owner(),
                    grant.resource(), grant.token()) == 0) {
                throw new StaleTokenException(grant);
            }
            return Jdbc.update(c, "INSERT INTO protected_ledger (resource_name, counter_value, writer, "
                    + "fencing_token) VALUES (?, ?, ?, ?)", grant.resource(), value, grant.owner(), grant.token());
        });
    }

    /** The counter and its ledger, for checking that no accepted increment was lost. */
    public Audit audit(String resource) {
        return db.inTransaction(c -> new Audit(resource,
                Jdbc.queryLong(c, "SELECT counter FROM protected_resource WHERE resource_name = ?", resource),
                Jdbc.queryLong(c, "SELECT COUNT(*) FROM protected_ledger WHERE resource_name = ?", resource),
                Jdbc.queryLong(c, "SELECT COUNT(DISTINCT counter_value) FROM protected_ledger "
                        + "WHERE resource_name = ?", resource)));
    }

    /**
     * A resource's counter against its ledger. With every increment done under a working lock, each accepted write
     * stores a new value: {@code counter == acceptedWrites == distinctValues}.
     */
    public record Audit(String resource, long counter, long acceptedWrites, long distinctValues) {
        /** Accepted increments that left no trace in the counter (another accepted write overwrote them). */
        public long lostUpdates() {
            return acceptedWrites - counter;
        }
    }
}
