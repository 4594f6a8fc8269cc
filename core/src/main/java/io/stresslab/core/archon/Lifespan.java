package io.stresslab.core.archon;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The MCP server's lifespan, entered once per client session — the contract a team implements for ARCHON-1. The first
 * entry initializes the process-wide shared context from {@link ArchonServices} (two synchronous factory calls, then
 * the awaited, asynchronous health check whose completion runs on the loop); later entries reuse it. A session is an
 * asynchronous task on the single-threaded {@link EventLoop}: {@link #session} is called on the loop thread, enters
 * the lifespan, runs the session's body with the context (Python's {@code yield}) and exits when the body's future
 * completes.
 *
 * <p>Construction: a public constructor {@code (EventLoop loop, ArchonServices services)}.
 *
 * <p>Obligations, each tested by stresslab's ARCHON-1 checks:
 * <ol>
 *   <li><b>loop-never-blocked</b>: a session entered while another awaits the initialization never blocks the loop
 *       thread — other loop tasks keep running during the initialization, and 20 sessions opened in one burst are all
 *       ready within 3 s of a 200 ms health check (a frozen loop, a hung call or a deadlock is a violation, whatever
 *       the thread dump shows);</li>
 *   <li><b>init-once</b>: the initialization (the factories) runs once for all sessions that overlap it or follow a
 *       successful one;</li>
 *   <li><b>one-context</b>: every session receives the same {@link ArchonContext}, made of the factories' objects;</li>
 *   <li><b>sessions-overlap</b>: a second session's body runs while the first session is still open — nothing the
 *       lifespan holds is held across the body;</li>
 *   <li><b>sessions-close</b>: each session's future completes with its body's result once the body completes;</li>
 *   <li><b>health-checked</b>: no session receives the context before its health check has passed;</li>
 *   <li><b>failed-init-retries</b>: a failed health check fails the session that ran it and publishes nothing; a
 *       session after it initializes afresh and succeeds.</li>
 * </ol>
 * Implementations: {@link BlockingLockLifespan} (before: breaks 1 and 4), {@link AsyncLockLifespan} (after). The
 * context's publication to other threads is {@link ContextSlot}'s contract.
 */
public interface Lifespan {
    /**
     * Runs one session on the loop; call it on the loop thread. The future completes when the session has exited the
     * lifespan (with the body's result), or fails if the shared context could not be initialized.
     */
    <T> CompletableFuture<T> session(Function<ArchonContext, ? extends CompletionStage<T>> body);
}
