package io.stresslab.core.db;

import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every SQL difference between H2 and PostgreSQL lives here: upsert syntax, failure classification, locking features.
 * The stores never branch on the engine themselves.
 */
public final class Dialect {
    private final DbKind kind;

    public Dialect(DbKind kind) {
        this.kind = kind;
    }

    public DbKind kind() {
        return kind;
    }

    /**
     * A single-statement upsert of one row. {@code keys} and {@code values} are bound in that order as parameters;
     * on a conflict the value columns are overwritten and each {@code touched} column is set to CURRENT_TIMESTAMP;
     * {@code touched} columns are set on insert too.
     *
     * <p>PostgreSQL: {@code INSERT … ON CONFLICT (keys) DO UPDATE}, atomic under concurrency. H2 has no ON CONFLICT;
     * it gets the standard {@code MERGE … USING (VALUES …)}, which two racing inserters can both take down the
     * not-matched branch: the loser gets a unique violation (23505), which {@link Database#upsert} retries once the
     * winner's row is visible.
     */
    public String upsert(String table, List<String> keys, List<String> values, List<String> touched) {
        List<String> all = concat(keys, values);
        if (kind == DbKind.POSTGRESQL) {
            String cols = String.join(", ", all) + (touched.isEmpty() ? "" : ", " + String.join(", ", touched));
            String params = all.stream().map(c -> "?").collect(Collectors.joining(", "))
                    + touched.stream().map(c -> ", CURRENT_TIMESTAMP").collect(Collectors.joining());
            String updates = concat(values.stream().map(c -> c + " = EXCLUDED." + c).toList(),
                    touched.stream().map(c -> c + " = CURRENT_TIMESTAMP").toList())
                    .stream().collect(Collectors.joining(", "));
            return "INSERT INTO " + table + " (" + cols + ") VALUES (" + params + ") ON CONFLICT ("
                    + String.join(", ", keys) + ") DO " + (updates.isEmpty() ? "NOTHING" : "UPDATE SET " + updates);
        }
        String source = all.stream().map(c -> "CAST(? AS VARCHAR)").collect(Collectors.joining(", "));
        String on = keys.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
        String updates = concat(values.stream().map(c -> c + " = s." + c).toList(),
                touched.stream().map(c -> c + " = CURRENT_TIMESTAMP").toList())
                .stream().collect(Collectors.joining(", "));
        String insertCols = String.join(", ", all) + (touched.isEmpty() ? "" : ", " + String.join(", ", touched));
        String insertVals = all.stream().map(c -> "s." + c).collect(Collectors.joining(", "))
                + touched.stream().map(c -> ", CURRENT_TIMESTAMP").collect(Collectors.joining());
        return "MERGE INTO " + table + " t USING (VALUES (" + source + ")) s(" + String.join(", ", all) + ") ON " + on
                + (updates.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET " + updates)
                + " WHEN NOT MATCHED THEN INSERT (" + insertCols + ") VALUES (" + insertVals + ")";
    }

    /**
     * Inserts one row unless its key is taken, leaving any existing row alone. PostgreSQL: {@code INSERT … ON CONFLICT
     * (keys) DO NOTHING}, update count 0 when taken. H2 has no ON CONFLICT: a plain {@code INSERT} that fails with
     * 23505 when taken; a failed statement does not abort an H2 transaction, so callers count a unique violation as
     * 0 rows and go on. {@code columns} are bound in order.
     */
    public String insertIfAbsent(String table, List<String> keys, List<String> columns) {
        String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
        return kind == DbKind.POSTGRESQL ? insert + " ON CONFLICT (" + String.join(", ", keys) + ") DO NOTHING"
                : insert;
    }

    /**
     * A timestamp expression: the database's {@code CURRENT_TIMESTAMP} (the transaction's start) plus a number of
     * milliseconds bound as ONE parameter (negative for the past). Leases use it so that every worker process compares
     * expiry against the same clock.
     */
    public String nowPlusMillis() {
        return kind == DbKind.POSTGRESQL
                ? "(CURRENT_TIMESTAMP + CAST(? AS DOUBLE PRECISION) * INTERVAL '1 millisecond')"
                : "DATEADD(MILLISECOND, CAST(? AS BIGINT), CURRENT_TIMESTAMP)";
    }

    /**
     * One statement that runs {@code update} and yields the updated rows' {@code column} as a result set (no row: no
     * update). PostgreSQL: {@code UPDATE … RETURNING column}; H2: {@code SELECT column FROM FINAL TABLE (UPDATE …)}.
     * Run it with {@code executeQuery}.
     */
    public String updateReturning(String update, String column) {
        return kind == DbKind.POSTGRESQL ? update + " RETURNING " + column
                : "SELECT " + column + " FROM FINAL TABLE (" + update + ")";
    }

    /**
     * One statement that inserts the one-column row {@code key} of {@code table} if it is absent and, either way,
     * leaves it row-locked by this transaction until it ends: PostgreSQL {@code INSERT … ON CONFLICT (key) DO UPDATE
     * SET key = EXCLUDED.key} (the conflict branch updates, so it locks), H2 {@code MERGE … WHEN MATCHED THEN UPDATE …
     * WHEN NOT MATCHED THEN INSERT}. The key is bound as the one parameter. On H2 two racing inserts of a new key can
     * lose with 23505 (the transaction goes on); running the statement again then takes the matched branch.
     */
    public String insertOrLock(String table, String key) {
        if (kind == DbKind.POSTGRESQL) {
            return "INSERT INTO " + table + " (" + key + ") VALUES (?) ON CONFLICT (" + key + ") DO UPDATE SET " + key
                    + " = EXCLUDED." + key;
        }
        return "MERGE INTO " + table + " t USING (VALUES (CAST(? AS VARCHAR))) s(" + key + ") ON t." + key + " = s."
                + key + " WHEN MATCHED THEN UPDATE SET " + key + " = s." + key + " WHEN NOT MATCHED THEN INSERT (" + key
                + ") VALUES (s." + key + ")";
    }

    /** True where the engine has LISTEN/NOTIFY (PostgreSQL), so waiters in other processes can be woken. */
    public boolean hasNotify() {
        return kind == DbKind.POSTGRESQL;
    }

    /**
     * One statement that runs {@code update} and, on PostgreSQL, sends each updated row's {@code column} as the
     * payload of a NOTIFY on {@code channel} (delivered when the statement's transaction commits); on H2 the plain
     * update. Run it with {@code execute}; the update count is the number of rows of the result (PostgreSQL) or the
     * update count (H2) — {@link #updatedRows} reads both.
     */
    public String updateNotifying(String update, String column, String channel) {
        return kind == DbKind.POSTGRESQL
                ? "WITH u AS (" + update + " RETURNING " + column + ") SELECT pg_notify('" + channel + "', "
                        + column + ") FROM u"
                : update;
    }

    /** The number of rows an {@link #updateNotifying} statement changed, after {@code execute} returned {@code rs}. */
    public int updatedRows(java.sql.Statement st, boolean rs) throws SQLException {
        if (!rs) {
            return st.getUpdateCount();
        }
        int n = 0;
        try (java.sql.ResultSet r = st.getResultSet()) {
            while (r.next()) {
                n++;
            }
        }
        return n;
    }

    /** SQLSTATE 23505 on both engines. */
    public boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /**
     * Whether a failure is transient, so the whole transaction may be retried: PostgreSQL serialization failure
     * (40001), deadlock detected (40P01), connection loss (class 08, 57P01 admin shutdown, e.g. pg_terminate_backend);
     * H2 lock timeout (50200), deadlock (40001) and "concurrent update" (90131, MVStore's serialization failure).
     */
    public boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && isTransientState(s)) {
                return true;
            }
        }
        return false;
    }

    private boolean isTransientState(SQLException s) {
        String state = s.getSQLState();
        if (state == null) {
            return s instanceof java.sql.SQLTransientException || s instanceof java.sql.SQLRecoverableException;
        }
        if (state.equals("40001") || state.startsWith("08")) {
            return true;
        }
        return switch (kind) {
            case POSTGRESQL -> state.equals("40P01") || state.equals("57P01") || state.equals("57P02")
                    || state.equals("57P03");
            case H2 -> s.getErrorCode() == 50200 || s.getErrorCode() == 90131 || state.equals("HYT00");
        };
    }

    /** Whether the failure means the connection is gone, so the outcome of an in-flight commit is unknown. */
    public boolean isConnectionLoss(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("57P01"));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
