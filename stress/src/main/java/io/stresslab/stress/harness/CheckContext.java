package io.stresslab.stress.harness;

import io.stresslab.core.db.Database;
import java.nio.file.Path;

/**
 * What a running check gets from the harness: the database target (for database checks), the effort scale, the seed
 * and a scratch folder.
 */
public final class CheckContext {
    private final CheckSpec spec;
    private final DatabaseTarget target;
    private final RunSettings settings;

    CheckContext(CheckSpec spec, DatabaseTarget target, RunSettings settings) {
        this.spec = spec;
        this.target = target;
        this.settings = settings;
    }

    /**
     * A context outside any check (for {@code stresslab soak}): campaigns built with {@code Campaign.builderFor} and
     * {@code Campaign.sharedConfig} get the run's worker settings, seed and target. {@link #spec()} is null.
     */
    public static CheckContext forCampaigns(DatabaseTarget target, RunSettings settings) {
        return new CheckContext(null, target, settings);
    }

    public CheckSpec spec() {
        return spec;
    }

    /** The database target; fails if this check declared no database. */
    public DatabaseTarget target() {
        if (target == null) {
            throw new IllegalStateException((spec == null ? "this run" : spec.id()) + " declared no database");
        }
        return target;
    }

    /** Opens a fresh, migrated, isolated database for this check; close it when done. */
    public Database openDatabase() {
        return target().openFresh(spec.bug() + "_" + spec.variant());
    }

    public RunSettings settings() {
        return settings;
    }

    /** {@code base} operations scaled by the run's effort (at least 1). */
    public int ops(int base) {
        return Math.max(1, (int) Math.round(base * settings.effort()));
    }

    public long seed() {
        return settings.seed();
    }

    public Path workDir() {
        return settings.workDir();
    }
}
