package io.stresslab.core.orch;

import io.stresslab.core.concurrent.NonReentrantLock;
import io.stresslab.core.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Our {@link TaskStateManager}s (seed 003): parents ({@code task_breakdowns}) and their subtasks, guarded by
 * ONE non-reentrant lock, as the Python original guards its state with one {@code threading.Lock}. Every public method
 * takes the lock; the protected helpers below it are documented "caller holds the lock" and never take it.
 *
 * <p>The two variants differ only in {@link #checkAndArchiveParent}, the step {@link #updateSubtask} runs (under the
 * lock) after a subtask is completed: {@link ReenteringTaskStateManager} (ORCH-1 before) calls the public, locking
 * {@link #getSubtasksForParent} there and hangs; {@link LockOnceTaskStateManager} (after) calls the lock-free helper.
 */
public abstract sealed class LockedTaskStateManager implements TaskStateManager
        permits ReenteringTaskStateManager, LockOnceTaskStateManager {
    private final Database db;
    private final NonReentrantLock lock = new NonReentrantLock("task-state");

    protected LockedTaskStateManager(Database db) {
        this.db = db;
    }

    /** Creates a parent with {@code subtaskIds} as PENDING subtasks, in one transaction. */
    @Override
    public void createBreakdown(String parentTaskId, String description, List<String> subtaskIds) {
        Ids.require("parent task id", parentTaskId);
        if (subtaskIds == null || subtaskIds.isEmpty()) {
            throw new IllegalArgumentException("a breakdown needs at least one subtask");
        }
        subtaskIds.forEach(id -> Ids.require("subtask id", id));
        locked(() -> db.inTransaction(c -> {
            Jdbc.update(c, "INSERT INTO task_breakdowns (parent_task_id, description) VALUES (?, ?)",
                    parentTaskId, description == null ? "" : description);
            for (String id : subtaskIds) {
                Jdbc.update(c, "INSERT INTO subtasks (task_id, parent_task_id, title, status) "
                        + "VALUES (?, ?, ?, ?)", id, parentTaskId, id, SubtaskStatus.PENDING.name());
            }
            return null;
        }));
    }

    /**
     * Sets a subtask's status and results (committed at once, as the original does), then — still under the lock —
     * archives its parent if that was the last open subtask.
     */
    @Override
    public void updateSubtask(String taskId, SubtaskStatus status, String results) {
        Ids.require("subtask id", taskId);
        if (status == null) {
            throw new IllegalArgumentException("status must not be null");
        }
        locked(() -> {
            String parent = writeSubtask(taskId, status, results);
            if (status == SubtaskStatus.COMPLETED) {
                checkAndArchiveParent(parent);
            }
            return null;
        });
    }

    /** The parent's subtasks, in id order. */
    @Override
    public List<Subtask> getSubtasksForParent(String parentTaskId) {
        Ids.require("parent task id", parentTaskId);
        return locked(() -> loadSubtasks(parentTaskId));
    }

    /** The parent's archive state. */
    @Override
    public Optional<Breakdown> getBreakdown(String parentTaskId) {
        Ids.require("parent task id", parentTaskId);
        return locked(() -> db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT archived, archive_count FROM task_breakdowns WHERE parent_task_id = ?")) {
                ps.setString(1, parentTaskId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Breakdown(parentTaskId, rs.getBoolean(1), rs.getInt(2)))
                            : Optional.<Breakdown>empty();
                }
            }
        }));
    }

    /**
     * Archives {@code parentTaskId} if all of its subtasks are completed. Called by {@link #updateSubtask} while it
     * holds the lock.
     */
    protected abstract void checkAndArchiveParent(String parentTaskId);

    /** Caller holds the lock. Writes the subtask row in its own transaction and returns its parent's id. */
    private String writeSubtask(String taskId, SubtaskStatus status, String results) {
        return db.inTransaction(c -> {
            int n = Jdbc.update(c, "UPDATE subtasks SET status = ?, results = ?, updated_at = CURRENT_TIMESTAMP "
                    + "WHERE task_id = ?", status.name(), results, taskId);
            if (n == 0) {
                throw new IllegalArgumentException("no subtask '" + taskId + "'");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT parent_task_id FROM subtasks WHERE task_id = ?")) {
                ps.setString(1, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    /** Caller holds the lock. The parent's subtasks, in id order. */
    protected final List<Subtask> loadSubtasks(String parentTaskId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT task_id, title, status, results FROM subtasks "
                    + "WHERE parent_task_id = ? ORDER BY task_id")) {
                ps.setString(1, parentTaskId);
                List<Subtask> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Subtask(rs.getString(1), parentTaskId, rs.getString(2),
                                SubtaskStatus.valueOf(rs.getString(3)), rs.getString(4)));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Caller holds the lock. Archives the parent exactly once: only when it has subtasks and all are completed, and
     * only if it is not archived yet (the conditional UPDATE makes a second archive a no-op even without the lock).
     */
    protected final void archiveIfAllCompleted(String parentTaskId, List<Subtask> subtasks) {
        if (subtasks.isEmpty() || !subtasks.stream().allMatch(s -> s.status() == SubtaskStatus.COMPLETED)) {
            return;
        }
        db.inTransaction(c -> Jdbc.update(c, "UPDATE task_breakdowns SET archived = TRUE, "
                + "archive_count = archive_count + 1, archived_at = CURRENT_TIMESTAMP "
                + "WHERE parent_task_id = ? AND archived = FALSE", parentTaskId));
    }

    /** Public methods run their body under the lock. The wait is interruptible, so a stuck caller can be freed. */
    private <T> T locked(Supplier<T> body) {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + lock);
        }
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }
}
