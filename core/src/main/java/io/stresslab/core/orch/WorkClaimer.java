package io.stresslab.core.orch;

import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * Claims work items for several workers at once (ORCH-2's second contract, the one a team implements for its queue).
 * The items are rows of {@code work_items} ({@code item_id BIGINT} primary key, {@code state} {@code 'pending'} or
 * {@code 'done'}, {@code claimed_by}, {@code done_at}; {@code db/migration/common/V4__orch.sql}); {@link WorkItems}
 * seeds and counts them. Every worker has its own instance and its own connection pool.
 *
 * <p>Construction: a public constructor {@code (io.stresslab.core.db.Database db)}.
 *
 * <p>Obligations, each tested by stresslab's ORCH-2 check {@code claim-while-peer-holds}:
 * <ol>
 *   <li><b>exactly-once</b>: whatever the concurrency, every pending item is processed by exactly one claim that
 *       returned it, and ends {@code 'done'};</li>
 *   <li><b>no-wait-on-peer</b>: while a peer is inside {@code process} for an item, a claim returns within 2 s with
 *       another pending item — it neither waits for the peer's item nor answers empty while others are pending;</li>
 *   <li><b>crash-safe</b>: when {@code process} throws (the worker dies mid-item), the exception leaves
 *       {@code claimOne} and the item stays pending, so a later claim processes it;</li>
 *   <li><b>drains</b>: a claim answers empty only when no unclaimed pending item is left: once every worker's claim
 *       answered empty, none is pending.</li>
 * </ol>
 * Implementations: {@link RowLockWorkClaimer} with {@code WAIT} (before: breaks 2) and {@code SKIP_LOCKED} (after).
 */
public interface WorkClaimer {
    /**
     * Claims one pending item for {@code worker}, runs {@code process} with its id while the item is claimed, and then
     * marks it done. Empty when no unclaimed pending item is left.
     */
    OptionalLong claimOne(String worker, LongConsumer process);
}
