package io.stresslab.stress.scenarios.molecule;

import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Tool;
import java.util.List;

/**
 * MOLECULE-1 (seed 001, molecule PR #3228): the concierge's fail-closed gate returns before the only reconcile that
 * could install its management MCP, so it stays failed forever. One closed-loop database check
 * ({@link RecoveryLoop}) on H2 and PostgreSQL for each registry.
 */
public final class Molecule1Scenario implements Scenario {
    static final String BEFORE = "gate-returns-early";
    static final String AFTER = "recovery-fire-before-fail-closed";
    private static final String CHECK = "closed-loop-mcp-recovery";

    @Override
    public String bug() {
        return "MOLECULE-1";
    }


    @Override
    public List<CheckSpec> checks() {
        return List.of(
                CheckSpec.onDatabases(bug(), BEFORE, Expect.REPRODUCE, Tool.DATABASE, CHECK,
                        RecoveryLoop::withoutRecovery),
                CheckSpec.onDatabases(bug(), AFTER, Expect.HOLD, Tool.DATABASE, CHECK, RecoveryLoop::withRecovery));
    }
}
