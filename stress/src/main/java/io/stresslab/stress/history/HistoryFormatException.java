package io.stresslab.stress.history;

/**
 * A history that cannot be read or checked as written: a malformed line, an event that does not pair, a value a
 * model cannot read (e.g. a cas result that is neither true nor false). {@link #where()} names the place — a file
 * and line ({@code history.jsonl:12}) or, for an in-memory history, the operation.
 */
public final class HistoryFormatException extends IllegalArgumentException {
    private final String where;
    private final String problem;

    public HistoryFormatException(String where, String problem) {
        super(where + ": " + problem);
        this.where = where;
        this.problem = problem;
    }

    public String where() {
        return where;
    }

    public String problem() {
        return problem;
    }
}
