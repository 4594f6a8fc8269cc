package io.stresslab.core.orch;

import io.stresslab.core.db.Database;

/**
 * ORCH-1 before: completing a subtask hangs forever. {@link #updateSubtask} holds the non-reentrant lock when it asks
 * whether the parent is done, and that check calls the public {@link #getSubtasksForParent}, which takes the same lock
 * again: the thread waits for itself, and every later call queues behind it.
 */
public final class ReenteringTaskStateManager extends LockedTaskStateManager {
    public ReenteringTaskStateManager(Database db) {
        super(db);
    }

    @Override
    protected void checkAndArchiveParent(String parentTaskId) {
        archiveIfAllCompleted(parentTaskId, getSubtasksForParent(parentTaskId));
    }
}
