/**
 * Histories of concurrent operations and their checkers. Workers stream {@link io.stresslab.stress.history.Op}
 * invocations and completions with a {@link io.stresslab.stress.history.HistoryRecorder} (one JSON-lines file each,
 * kill -9 safe); {@link io.stresslab.stress.history.History#merge} joins them on the machine-wide
 * {@link io.stresslab.stress.history.HistoryClock}. {@link io.stresslab.stress.history.LinearizabilityChecker} checks
 * a history per key against a sequential {@link io.stresslab.stress.history.Model} (shipped:
 * {@link io.stresslab.stress.history.RegisterModel}, {@link io.stresslab.stress.history.ExecuteOnceModel},
 * {@link io.stresslab.stress.history.LeaseModel}); {@link io.stresslab.stress.history.HistoryChecker}s check
 * invariants (mutual exclusion, single holder, exactly once, committed writes present).
 */
package io.stresslab.stress.history;
