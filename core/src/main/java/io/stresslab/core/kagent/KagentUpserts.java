package io.stresslab.core.kagent;

/**
 * Storing an agent or a tool server row by its key (kagent's {@code StoreAgent} / {@code StoreToolServer}) — KAGENT-2's
 * second contract, the upsert the merged fix made a single statement. Schema:
 * {@code db/migration/common/V1__kagent.sql} ({@code agents(id, type, config, created_at, updated_at)}, key {@code id};
 * {@code tool_servers}, key {@code (name, group_kind)}).
 *
 * <p>Construction: a public constructor {@code (Database db)}.
 *
 * <p>Obligations, tested by stresslab's KAGENT-2 {@code concurrent-upserts} check on H2 and PostgreSQL:
 * <ol>
 *   <li><b>one-row-per-key</b>: any number of concurrent upserts of one key leave exactly one row;</li>
 *   <li><b>no-errors</b>: concurrent upserts of one key never fail (no duplicate-key or serialization error reaches
 *       the caller);</li>
 *   <li><b>last-write-wins</b>: the row holds the content of one of the upserts, and after sequential upserts, the
 *       last one's.</li>
 * </ol>
 * Implementation: {@link KagentStore} (one {@code INSERT … ON CONFLICT DO UPDATE} / {@code MERGE} statement).
 */
public interface KagentUpserts {
    void storeAgent(Agent agent);

    void storeToolServer(ToolServer server);
}
