package io.stresslab.core.orch;

/** The life cycle of a subtask; a parent is archived once all of its subtasks are {@link #COMPLETED}. */
public enum SubtaskStatus {
    PENDING, IN_PROGRESS, COMPLETED, FAILED
}
