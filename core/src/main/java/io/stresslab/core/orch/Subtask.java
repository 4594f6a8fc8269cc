package io.stresslab.core.orch;

/** One row of {@code subtasks}. */
public record Subtask(String taskId, String parentTaskId, String title, SubtaskStatus status, String results) {
}
