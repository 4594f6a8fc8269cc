package io.stresslab.core.orch;

import java.util.List;
import java.util.Optional;

/**
 * The task orchestrator's state manager (ORCH-1, the contract a team implements): parents and their subtasks; a
 * parent is archived once all of its subtasks are {@link SubtaskStatus#COMPLETED}. Callers are many threads at once.
 *
 * <p>Construction: a public constructor {@code (io.stresslab.core.db.Database db)}. The database already has the
 * tables {@code task_breakdowns} and {@code subtasks} ({@code db/migration/common/V4__orch.sql}); an implementation
 * may keep its state there or anywhere else — the checks only call the methods below.
 *
 * <p>Obligations, each tested by stresslab's ORCH-1 check {@code complete-last-subtask}:
 * <ol>
 *   <li><b>calls-return</b>: every call returns — completing a parent's last subtask returns within 1 s, and never
 *       waits for a lock its own thread already holds; no call queues for ever behind another (a hung call, a
 *       self-wait or a deadlock violates this whatever the thread dump shows);</li>
 *   <li><b>archives-when-all-completed</b>: when the call that completes a parent's last open subtask has returned,
 *       {@link #getBreakdown} shows the parent archived;</li>
 *   <li><b>not-archived-early</b>: while any subtask of a parent is not COMPLETED, the parent is not archived;</li>
 *   <li><b>archives-once</b>: a parent is archived at most once ({@code archiveCount() <= 1}), also when a completed
 *       subtask is completed again and when its last subtasks are completed concurrently;</li>
 *   <li><b>reads-see-writes</b>: {@link #getSubtasksForParent} returns the parent's subtasks in id order, each with the
 *       status and results of the last update that returned;</li>
 *   <li><b>concurrent-callers</b>: several threads completing subtasks of many parents beside a thread reading them
 *       all finish (no stall), and every parent ends archived exactly once;</li>
 *   <li><b>rejects-bad-input</b>: a breakdown without subtasks and an update of an unknown subtask throw
 *       {@link IllegalArgumentException} and change nothing.</li>
 * </ol>
 * Implementations: {@link ReenteringTaskStateManager} (before: breaks 1), {@link LockOnceTaskStateManager} (after).
 */
public interface TaskStateManager {
    /** Creates a parent with {@code subtaskIds} as PENDING subtasks. */
    void createBreakdown(String parentTaskId, String description, List<String> subtaskIds);

    /** Sets a subtask's status and results; archives its parent if that completed the parent's last open subtask. */
    void updateSubtask(String taskId, SubtaskStatus status, String results);

    /** {@link #updateSubtask} with {@link SubtaskStatus#COMPLETED}. */
    default void completeSubtask(String taskId, String results) {
        updateSubtask(taskId, SubtaskStatus.COMPLETED, results);
    }

    /** The parent's subtasks, in id order. */
    List<Subtask> getSubtasksForParent(String parentTaskId);

    /** The parent's archive state; empty for an unknown parent. */
    Optional<Breakdown> getBreakdown(String parentTaskId);
}
