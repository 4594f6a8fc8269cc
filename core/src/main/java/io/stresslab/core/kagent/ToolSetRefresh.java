package io.stresslab.core.kagent;

import java.util.List;

/**
 * Replaces the set of tools stored for one server with the set the server just listed (kagent's
 * {@code refreshToolsForServer}) — the contract a team implements for KAGENT-2. The schema is
 * {@code db/migration/common/V1__kagent.sql}: table {@code tool_servers(name, group_kind, …)} and table
 * {@code tools(id, server_name, group_kind, description, created_at, updated_at)}, primary key
 * {@code (id, server_name, group_kind)}; {@link KagentStore#deleteTools}, {@link KagentStore#insertTools} and
 * {@link KagentStore#toolIds(java.sql.Connection, ToolServer)} are the statements our implementations use.
 *
 * <p>Construction: a public constructor {@code (KagentStore store)}, {@code (Database db)} or {@code ()}.
 *
 * <p>Obligations, each tested by stresslab's KAGENT-2 checks, on H2 and PostgreSQL (READ COMMITTED):
 * <ol>
 *   <li><b>replaces-exactly</b>: after a refresh returns, the stored set of the server equals {@code tools} — old
 *       tools are removed, an empty list clears the set, other servers' tools are untouched;</li>
 *   <li><b>one-callers-set</b>: after concurrent refreshes of one server (in one JVM or across worker JVMs sharing
 *       the database), the stored set is exactly one caller's set — never a union or a mixture;</li>
 *   <li><b>readers-see-whole-sets</b>: a concurrent reader ({@link KagentStore#toolIds(ToolServer)}, one statement)
 *       sees the previous set or one caller's set — never a mixed, partial or empty one;</li>
 *   <li><b>no-errors</b>: concurrent refreshes of one server do not fail (an implementation retries what its
 *       database aborts);</li>
 *   <li><b>failure-is-atomic</b>: a refresh that fails (a killed worker, a failed commit) leaves the previous set or
 *       the new one, never part of it (tested across worker JVMs with faults).</li>
 * </ol>
 * Implementations: {@link StatementByStatementToolRefresh} (before: breaks 2 and 3),
 * {@link DeleteInsertTransactionToolRefresh} (as merged: breaks 2), {@link ServerLockedToolRefresh} (after).
 */
public interface ToolSetRefresh {
    /** Makes the stored tool set of {@code server} equal {@code tools}. The server row must exist. */
    void refresh(ToolServer server, List<McpTool> tools);
}
