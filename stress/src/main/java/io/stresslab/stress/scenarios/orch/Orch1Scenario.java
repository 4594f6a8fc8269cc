package io.stresslab.stress.scenarios.orch;

import io.stresslab.core.orch.LockOnceTaskStateManager;
import io.stresslab.core.orch.ReenteringTaskStateManager;
import io.stresslab.core.orch.TaskStateManager;
import io.stresslab.stress.harness.Check;
import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Contract;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Tool;
import java.util.List;

/**
 * ORCH-1: completing a subtask re-takes the state manager's non-reentrant lock and hangs. The contract is
 * {@link TaskStateManager}; every manager faces {@link CompleteLastSubtask} on H2 and PostgreSQL.
 */
public final class Orch1Scenario implements Scenario {
    static final String BUG = "ORCH-1";

    @Override
    public String bug() {
        return BUG;
    }

    @Override
    public List<Contract<?>> contracts() {
        return List.of(new Contract<>(BUG, TaskStateManager.class, "(Database)", List.of(
                Subject.ours(BUG, "reentering-lock", TaskStateManager.class, ReenteringTaskStateManager.class),
                Subject.ours(BUG, "lock-once", TaskStateManager.class, LockOnceTaskStateManager.class)),
                Orch1Scenario::checks));
    }

    static List<CheckSpec> checks(Subject<TaskStateManager> s) {
        return List.of(CheckSpec.onDatabases(s, Tool.LIVENESS, "complete-last-subtask", Check.of(
                        ctx -> CompleteLastSubtask.run(ctx, s), CompleteLastSubtask::judge,
                        CompleteLastSubtask::describe))
                .obliges("every obligation of TaskStateManager: calls-return (each call bounded by the watchdog), "
                        + "archives-when-all-completed, not-archived-early, archives-once, reads-see-writes, "
                        + "concurrent-callers, rejects-bad-input"));
    }
}
