/**
 * Histories of concurrent operations and their checkers. Workers stream {@link io.stresslab.stress.history.Op}
 * invocations and completions with a {@link io.stresslab.stress.history.HistoryRecorder} (one JSON-lines file each,
 * kill -9 safe); {@link io.stresslab.stress.history.History#merge} joins them on the machine-wide
 * {@link io.stresslab.stress.history.HistoryClock}. A history can also be built in memory
 * ({@link io.stresslab.stress.history.HistoryBuilder}, typed {@link io.stresslab.stress.history.Value}s) or read from a
 * file in the public event format, a campaign format or Jepsen's EDN ({@link io.stresslab.stress.history.HistoryFiles};
 * only the file readers and writers need Jackson). {@link io.stresslab.stress.history.LinearizabilityChecker} checks a
 * history per key against a sequential {@link io.stresslab.stress.history.Model}
 * ({@link io.stresslab.stress.history.Models} names the shipped ones: register, cas-register, kv, set, queue, counter,
 * lease, execute-once), with verdicts that do not depend on the thread count;
 * {@link io.stresslab.stress.history.Timeline} draws a failing key. {@link io.stresslab.stress.history.HistoryChecker}s
 * check invariants (mutual exclusion, single holder, exactly once, committed writes present). See docs/checker.md.
 */
package io.stresslab.stress.history;
