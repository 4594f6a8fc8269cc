package io.stresslab.core.kagent;

/**
 * A controller's work queue (controller-runtime's semantics) — KAGENT-1's second contract, the bookkeeping behind
 * "every Agent event is reconciled". Keys are compared with {@code equals}.
 *
 * <p>Construction: a public constructor {@code ()}.
 *
 * <p>Obligations, tested by stresslab's KAGENT-1 Lincheck check against an independent sequential queue:
 * <ol>
 *   <li><b>deduplicates</b>: a key added while it is already queued is not queued twice;</li>
 *   <li><b>one-worker-per-key</b>: a key handed out by {@link #poll} is not handed out again until {@link #done};</li>
 *   <li><b>no-lost-event</b>: a key added while it is being processed is queued again at {@link #done};</li>
 *   <li><b>fifo</b>: keys are handed out in the order they were queued;</li>
 *   <li><b>linearizable</b>: every concurrent history equals some sequential run of that queue.</li>
 * </ol>
 * Implementation: {@link WorkQueue}.
 */
public interface ReconcileQueue<K> {
    /** Marks {@code key} as needing a reconcile. */
    void add(K key);

    /** Takes the next key to process without waiting, or null. */
    K poll();

    /** Ends the processing of {@code key}; if it was added meanwhile it is queued again. */
    void done(K key);
}
