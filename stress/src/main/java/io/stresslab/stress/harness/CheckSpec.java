package io.stresslab.stress.harness;

import io.stresslab.core.db.DbKind;
import java.util.Objects;
import java.util.Set;

/**
 * One check of one variant of one bug: what it expects, which tool it is, which databases it runs on (none for
 * in-memory checks), and its body. Written once in the stress module's main code; the build's tests and the
 * {@code stresslab run} command line both run it through {@link CheckRunner}.
 */
public record CheckSpec(String bug, String variant, Expect expect, Tool tool, String check, Set<DbKind> databases,
                        CheckBody body) {

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
    }

    /** An in-memory check (database "none"). */
    public static CheckSpec inMemory(String bug, String variant, Expect expect, Tool tool, String check,
                                     CheckBody body) {
        return new CheckSpec(bug, variant, expect, tool, check, Set.of(), body);
    }

    /** A check that runs once per database engine. */
    public static CheckSpec onDatabases(String bug, String variant, Expect expect, Tool tool, String check,
                                        CheckBody body) {
        return new CheckSpec(bug, variant, expect, tool, check, Set.of(DbKind.H2, DbKind.POSTGRESQL), body);
    }

    public boolean needsDatabase() {
        return !databases.isEmpty();
    }

    public String id() {
        return bug + "/" + variant + "/" + tool.json() + "/" + check;
    }
}
