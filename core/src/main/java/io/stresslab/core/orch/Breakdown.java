package io.stresslab.core.orch;

/** One row of {@code task_breakdowns}: whether the parent is archived, and how many times that happened (≤ 1). */
public record Breakdown(String parentTaskId, boolean archived, int archiveCount) {
}
