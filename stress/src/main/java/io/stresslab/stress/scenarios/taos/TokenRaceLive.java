package io.stresslab.stress.scenarios.taos;

import io.stresslab.stress.history.HistoryChecker;
import io.stresslab.stress.history.LiveJudge;
import io.stresslab.stress.history.Op;
import java.util.List;

/**
 * TAOS-2's findings that are certain while the workers run, each the same one {@link TokenRaceCampaign}'s post-run
 * judge reports: the reader's first sighting of an agent with two active tokens (one-active-token), a raw exception
 * that reached a caller (typed-errors-only), a rotation refused with the typed error (rotate-serializes). The token
 * table's full history (changes-ordered) needs the rows after the run and stays post-run. No state of its own.
 */
final class TokenRaceLive implements LiveJudge {
    private final ActiveTokenSampler reader;

    TokenRaceLive(ActiveTokenSampler reader) {
        this.reader = reader;
    }

    @Override
    public HistoryChecker.Violation completed(Op op) {
        if (op.name().equals(TokenRaceWorkload.RAW_ERROR)) {
            return new HistoryChecker.Violation("typed-errors-only", op.key(), "a raw " + op.arg(0) + " ["
                    + op.arg(1) + "] reached a caller", List.of(op));
        }
        if (op.name().equals(TokenRaceWorkload.ROTATE) && TokenRaceWorkload.refused(op)) {
            return new HistoryChecker.Violation("rotate-serializes", op.key(), "a rotation was refused instead of"
                    + " serialized", List.of(op));
        }
        return null;
    }

    @Override
    public HistoryChecker.Violation progressed(int worker, int thread, long t) {
        String rows = reader.firstRows.get(); // e.g. "agent-0: 2 active tokens (ids 12..13)"
        return rows == null ? null : new HistoryChecker.Violation("one-active-token", rows.substring(0,
                Math.max(0, rows.indexOf(':'))), "the reader saw " + rows, List.of());
    }
}
