package io.stresslab.stress.mutants;

import io.stresslab.core.db.Database;
import io.stresslab.core.orch.Breakdown;
import io.stresslab.core.orch.Subtask;
import io.stresslab.core.orch.SubtaskStatus;
import io.stresslab.core.orch.TaskStateManager;
import io.stresslab.stress.harness.Subject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * ORCH-1's mutation suite: task-state managers with the mistakes real teams make, and one correct manager that
 * differs from ours. Each is a public class with the contract's {@code (Database)} constructor; they keep their state
 * in memory (the contract allows it), on {@link SynchronizedTaskStateManager}'s bookkeeping.
 */
public final class Orch1Mutants {
    private static final String BUG = "ORCH-1";

    private Orch1Mutants() {
    }

    public static List<Subject<TaskStateManager>> mutants() {
        return List.of(
                Subject.mutant(BUG, TaskStateManager.class, ArchivesOneEarly.class),
                Subject.mutant(BUG, TaskStateManager.class, ArchivesOnEveryCompletion.class),
                Subject.mutant(BUG, TaskStateManager.class, CachedSubtaskList.class),
                Subject.mutant(BUG, TaskStateManager.class, TimedLockThenSkip.class));
    }

    public static List<Subject<TaskStateManager>> alternatives() {
        return List.of(Subject.alternative(BUG, TaskStateManager.class, SynchronizedTaskStateManager.class));
    }

    /**
     * Correct, and not ours: every method {@code synchronized} on the manager — Java monitors are reentrant, so the
     * archive check may call the public {@link #getSubtasksForParent} under the monitor without waiting for itself.
     */
    public static class SynchronizedTaskStateManager implements TaskStateManager {
        final Map<String, List<String>> children = new HashMap<>();
        final Map<String, Subtask> subtasks = new HashMap<>();
        final Map<String, Integer> archives = new HashMap<>();

        public SynchronizedTaskStateManager(Database db) {
        }

        @Override
        public synchronized void createBreakdown(String parent, String description, List<String> ids) {
            if (parent == null || parent.isBlank() || ids == null || ids.isEmpty()) {
                throw new IllegalArgumentException("a breakdown needs a parent id and at least one subtask");
            }
            children.put(parent, ids.stream().sorted().toList());
            ids.forEach(id -> subtasks.put(id, new Subtask(id, parent, id, SubtaskStatus.PENDING, null)));
            archives.put(parent, 0);
        }

        @Override
        public synchronized void updateSubtask(String id, SubtaskStatus status, String results) {
            Subtask old = subtasks.get(id);
            if (old == null) {
                throw new IllegalArgumentException("no subtask '" + id + "'");
            }
            subtasks.put(id, new Subtask(id, old.parentTaskId(), old.title(), status, results));
            if (status == SubtaskStatus.COMPLETED) {
                archiveCheck(old.parentTaskId());
            }
        }

        /** Runs under the monitor: archives once every subtask is completed, once. */
        void archiveCheck(String parent) {
            if (completed(parent) == children.get(parent).size() && archives.get(parent) == 0) {
                archives.merge(parent, 1, Integer::sum);
            }
        }

        long completed(String parent) {
            return getSubtasksForParent(parent).stream().filter(s -> s.status() == SubtaskStatus.COMPLETED).count();
        }

        @Override
        public synchronized List<Subtask> getSubtasksForParent(String parent) {
            return children.getOrDefault(parent, List.of()).stream().map(subtasks::get).toList();
        }

        @Override
        public synchronized Optional<Breakdown> getBreakdown(String parent) {
            Integer n = archives.get(parent);
            return n == null ? Optional.empty() : Optional.of(new Breakdown(parent, n > 0, n));
        }
    }

    /** Off by one: archives the parent once all but one subtask are completed. */
    public static final class ArchivesOneEarly extends SynchronizedTaskStateManager {
        public ArchivesOneEarly(Database db) {
            super(db);
        }

        @Override
        void archiveCheck(String parent) {
            if (completed(parent) >= children.get(parent).size() - 1 && archives.get(parent) == 0) {
                archives.merge(parent, 1, Integer::sum);
            }
        }
    }

    /** Forgets the "not archived yet" guard: completing a completed subtask again archives the parent again. */
    public static final class ArchivesOnEveryCompletion extends SynchronizedTaskStateManager {
        public ArchivesOnEveryCompletion(Database db) {
            super(db);
        }

        @Override
        void archiveCheck(String parent) {
            if (completed(parent) == children.get(parent).size()) {
                archives.merge(parent, 1, Integer::sum);
            }
        }
    }

    /** Caches each parent's subtask list when the breakdown is created and serves reads from that snapshot. */
    public static final class CachedSubtaskList extends SynchronizedTaskStateManager {
        private final Map<String, List<Subtask>> cache = new HashMap<>();

        public CachedSubtaskList(Database db) {
            super(db);
        }

        @Override
        public synchronized void createBreakdown(String parent, String description, List<String> ids) {
            super.createBreakdown(parent, description, ids);
            cache.put(parent, new ArrayList<>(super.getSubtasksForParent(parent)));
        }

        @Override
        long completed(String parent) {
            return super.getSubtasksForParent(parent).stream().filter(s -> s.status() == SubtaskStatus.COMPLETED)
                    .count();
        }

        @Override
        public synchronized List<Subtask> getSubtasksForParent(String parent) {
            return cache.getOrDefault(parent, List.of());
        }
    }

    /**
     * The "fix" that bounds the self-wait instead of removing it: one non-reentrant lock (a semaphore), and the
     * archive check re-takes it with a 3 s timeout, then reads without it. Every completion returns — 3 s late.
     */
    public static final class TimedLockThenSkip extends SynchronizedTaskStateManager {
        private final Semaphore lock = new Semaphore(1);

        public TimedLockThenSkip(Database db) {
            super(db);
        }

        @Override
        public void updateSubtask(String id, SubtaskStatus status, String results) {
            lock.acquireUninterruptibly();
            try {
                super.updateSubtask(id, status, results);
            } finally {
                lock.release();
            }
        }

        @Override
        long completed(String parent) {
            boolean got = false;
            try {
                got = lock.tryAcquire(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                return super.completed(parent);
            } finally {
                if (got) {
                    lock.release();
                }
            }
        }
    }
}
