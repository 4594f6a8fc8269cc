package io.stresslab.core.orch;

import io.stresslab.core.db.Database;

/**
 * ORCH-1 after: the lock is taken once per public call. Internal steps that run under it use the lock-free helpers
 * ("caller holds the lock"), so completing the last subtask archives the parent exactly once and returns.
 */
public final class LockOnceTaskStateManager extends LockedTaskStateManager {
    public LockOnceTaskStateManager(Database db) {
        super(db);
    }

    @Override
    protected void checkAndArchiveParent(String parentTaskId) {
        archiveIfAllCompleted(parentTaskId, loadSubtasks(parentTaskId));
    }
}
