package io.stresslab.stress.scenarios.kagent;

import io.stresslab.core.kagent.ReconcileQueue;
import io.stresslab.stress.harness.LincheckRunner;
import io.stresslab.stress.harness.SubjectProperty;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * Lincheck model checking of any {@link ReconcileQueue} (the one named by {@link SubjectProperty}) against an
 * independent sequential specification ({@link Spec}): every added key is handed out, never twice at once, and a key
 * re-added while processing comes back after {@code done}. This is the in-memory bookkeeping behind "every Create event
 * of an Agent is reconciled".
 */
@Param(name = "key", gen = IntGen.class, conf = "1:2")
public class WorkQueueLincheck {
    @SuppressWarnings("unchecked")
    private final ReconcileQueue<Integer> queue = SubjectProperty.create(ReconcileQueue.class);

    @Operation
    public void add(@Param(name = "key") int key) {
        queue.add(key);
    }

    @Operation
    public Integer poll() {
        return queue.poll();
    }

    @Operation
    public void done(@Param(name = "key") int key) {
        queue.done(key);
    }

    /** The sequential model: a FIFO of queued keys, a dirty set and a processing set. */
    public static class Spec {
        private final ArrayDeque<Integer> queued = new ArrayDeque<>();
        private final Set<Integer> dirty = new HashSet<>();
        private final Set<Integer> processing = new HashSet<>();

        public void add(int key) {
            if (dirty.add(key) && !processing.contains(key)) {
                queued.addLast(key);
            }
        }

        public Integer poll() {
            Integer k = queued.pollFirst();
            if (k != null) {
                dirty.remove(k);
                processing.add(k);
            }
            return k;
        }

        public void done(int key) {
            if (processing.remove(key) && dirty.contains(key)) {
                queued.addLast(key);
            }
        }
    }

    /** 2 threads × 3 actors with 5 actors around them (Lincheck's default), 15 × 400 interleavings. */
    static final LincheckRunner.Config CONFIG = LincheckRunner.Config.modelChecking()
            .iterations(15).invocationsPerIteration(400).threads(2).actorsPerThread(3).actorsAround(5, 5)
            .sequentialSpecification(Spec.class);
}
