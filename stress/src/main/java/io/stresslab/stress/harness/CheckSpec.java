package io.stresslab.stress.harness;

import io.stresslab.core.Catalogue;
import io.stresslab.core.db.DbKind;
import java.util.Objects;
import java.util.Set;

/**
 * One check of one variant of one bug: what it expects, which tool it is, which databases it runs on (none for
 * in-memory checks), and its body. Written once in the stress module's main code; the build's tests and the
 * {@code stresslab run} command line both run it through {@link CheckRunner}.
 */
public record CheckSpec(String bug, String variant, Expect expect, Tool tool, String check, Set<DbKind> databases,
                        CheckBody body, String obligation) {

    /** The code of a check. It must bound every blocking wait (see {@link Watchdog}). */
    @FunctionalInterface
    public interface CheckBody {
        Observation run(CheckContext ctx) throws Exception;
    }

    public CheckSpec {
        Objects.requireNonNull(bug);
        Objects.requireNonNull(variant);
        Objects.requireNonNull(expect);
        Objects.requireNonNull(tool);
        Objects.requireNonNull(check);
        databases = Set.copyOf(databases);
        Objects.requireNonNull(body);
        obligation = obligation == null ? "" : obligation;
        if (!variant.contains(":")) { // ours: user:, mutant: and alternative: subjects are not catalogued
            Catalogue.Variant v = Catalogue.variant(bug, variant); // an unknown name fails here
            Expect catalogued = v.side() == Catalogue.Side.BEFORE ? Expect.REPRODUCE : Expect.HOLD;
            if (catalogued != expect) {
                throw new IllegalArgumentException(bug + "/" + variant + " is a " + v.side() + " variant in the "
                        + "catalogue: its checks expect " + catalogued.json() + ", not " + expect.json());
            }
        }
    }

    /** The variant-name prefix of checks run against a mutation-suite implementation: {@code mutant:<name>}. */
    public static final String MUTANT_PREFIX = "mutant:";
    /** The variant-name prefix of a correct implementation of the mutation suite that differs from ours. */
    public static final String ALTERNATIVE_PREFIX = "alternative:";

    /**
     * A check of {@code subject}: its bug, variant and expectation are the subject's. On an engine the subject does
     * not support, the check is recorded skipped with that reason.
     */
    public static CheckSpec of(Subject<?> subject, Tool tool, String check, Set<DbKind> databases, CheckBody body) {
        CheckBody guarded = databases.isEmpty() ? body : ctx -> {
            DbKind engine = ctx.target().kind();
            return subject.engines().contains(engine) ? body.run(ctx)
                    : Observation.notApplicable(subject.variant() + " declares it supports " + subject.engines()
                            + " only (@SupportedEngines), not " + engine.id());
        };
        return new CheckSpec(subject.bug(), subject.variant(), subject.expect(), tool, check, databases, guarded);
    }

    /** An in-memory check of {@code subject}. */
    public static CheckSpec inMemory(Subject<?> subject, Tool tool, String check, CheckBody body) {
        return of(subject, tool, check, Set.of(), body);
    }

    /** A check of {@code subject} that runs once per database engine. */
    public static CheckSpec onDatabases(Subject<?> subject, Tool tool, String check, CheckBody body) {
        return of(subject, tool, check, Set.of(DbKind.H2, DbKind.POSTGRESQL), body);
    }

    public CheckSpec(String bug, String variant, Expect expect, Tool tool, String check, Set<DbKind> databases,
                     CheckBody body) {
        this(bug, variant, expect, tool, check, databases, body, "");
    }

    /** This check, naming the contract obligation it tests (written to its record). */
    public CheckSpec obliges(String obligationText) {
        return new CheckSpec(bug, variant, expect, tool, check, databases, body, obligationText);
    }

    public boolean needsDatabase() {
        return !databases.isEmpty();
    }

    public String id() {
        return bug + "/" + variant + "/" + tool.json() + "/" + check;
    }
}
