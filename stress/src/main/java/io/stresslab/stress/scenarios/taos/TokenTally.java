package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.db.Database;
import io.stresslab.core.taos.ActiveTokenExistsException;
import io.stresslab.core.taos.AgentTokenStore;
import io.stresslab.core.taos.IssuedToken;
import io.stresslab.core.taos.TokenTable;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.Observation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What TAOS-2's racing callers saw, per round, and the judge over it and the token table: one active token per agent
 * (reader sightings, final state, valid secrets), exactly one winning issue per round, no rotation refused, no raw
 * error, revoke-then-issue working. The same for every store.
 */
final class TokenTally {
    final AtomicInteger[] issueWins;
    final Queue<IssuedToken> issued = new ConcurrentLinkedQueue<>();
    final LongAdder calls = new LongAdder();
    final LongAdder typedRefusals = new LongAdder();
    final LongAdder refusedRotations = new LongAdder();
    final AtomicInteger rawErrors = new AtomicInteger();
    final AtomicReference<String> firstRawError = new AtomicReference<>();
    final AtomicLong firstRawErrorMillis = new AtomicLong(-1);
    final AtomicInteger roundsRun = new AtomicInteger();
    private final LongAdder secondWins = new LongAdder();
    long samples;
    String sighting;
    private List<String> multiActive = List.of();
    private int severalValid;
    private static final int REVOKE_THEN_ISSUE_AGENTS = 20;

    TokenTally(int rounds) {
        issueWins = new AtomicInteger[rounds];
        for (int i = 0; i < rounds; i++) {
            issueWins[i] = new AtomicInteger();
        }
    }

    /**
     * One store call: a token, or the typed refusal (which a rotation must never get), or (the bug) any other
     * exception reaching the caller.
     */
    Optional<IssuedToken> call(int round, long t0, boolean rotation, Supplier<IssuedToken> op) {
        roundsRun.accumulateAndGet(round + 1, Math::max);
        calls.increment();
        try {
            IssuedToken token = op.get();
            issued.add(token);
            return Optional.of(token);
        } catch (ActiveTokenExistsException e) {
            typedRefusals.increment();
            if (rotation) {
                refusedRotations.increment();
            }
        } catch (RuntimeException e) {
            if (rawErrors.getAndIncrement() == 0) {
                firstRawError.set("round " + round + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
                firstRawErrorMillis.set((System.nanoTime() - t0) / 1_000_000);
            }
        }
        return Optional.empty();
    }

    /** A caller's issue won its round; a second winner in one round is a sighting at once. */
    void issueWon(int round) {
        if (issueWins[round].incrementAndGet() > 1) {
            secondWins.increment();
        }
    }

    /**
     * Whether the callers have already seen the contract broken (a raw error, a refused rotation, a second issue
     * winner in a round): the run stops there, as it does at the reader's sighting.
     */
    boolean sighted() {
        return rawErrors.get() > 0 || refusedRotations.sum() > 0 || secondWins.sum() > 0;
    }

    /**
     * The judge, the same for every store: the reader's sighting, the final table, the secrets that still validate,
     * the issue winners per round, refused rotations, raw errors and revoke-then-issue, each to its obligation.
     */
    Findings judge(Database db, TokenTable table, AgentTokenStore store) {
        int roundsDone = roundsRun.get();
        long badIssueRounds = IntStream.range(0, roundsDone).filter(r -> issueWins[r].get() != 1).count();
        multiActive = ActiveTokenSampler.activeRows(db, table, "HAVING COUNT(*) > 1");
        Map<String, List<IssuedToken>> byAgent = issued.stream().collect(Collectors.groupingBy(IssuedToken::agentId));
        int withoutToken = 0;
        for (int r = 0; r < roundsDone; r++) {
            String agent = "agent-" + r;
            long valid = byAgent.getOrDefault(agent, List.of()).stream()
                    .filter(t -> store.validate(agent, t.secret())).count();
            withoutToken += valid == 0 ? 1 : 0;
            severalValid += valid > 1 ? 1 : 0;
        }
        int lost = withoutToken;
        String revokeThenIssue = revokeThenIssue(store, Math.min(roundsDone, REVOKE_THEN_ISSUE_AGENTS));
        return new Findings()
                .check(sighting != null || !multiActive.isEmpty() || severalValid > 0, "one-active-token",
                        () -> "two active tokens for one agent (" + (sighting != null ? "reader: " + sighting
                                : multiActive.isEmpty() ? severalValid + " agent(s) with two valid secrets"
                                : "final state: " + multiActive.get(0)) + ")")
                .check(rawErrors.get() > 0, "typed-errors-only", () -> rawErrors.get() + " raw SQL error(s) reached"
                        + " the caller, first after " + firstRawErrorMillis.get() + " ms in " + firstRawError.get())
                .check(refusedRotations.sum() > 0, "rotate-serializes", () -> refusedRotations.sum()
                        + " rotation(s) refused instead of serialized")
                .check(badIssueRounds > 0, "issue-refuses-while-active", () -> badIssueRounds
                        + " round(s) where not exactly one concurrent issue won")
                .check(lost > 0, "tokens-valid", () -> lost + " agent(s) left without a valid token")
                .check(revokeThenIssue != null, "tokens-valid", () -> revokeThenIssue);
    }

    /** The findings to the record: summary, metrics, evidence. */
    Observation describe(Findings f, TokenTable table, long millis) {
        Observation o = f.observe(String.format("%,d rounds × %d instances (%,d calls, %,d reader samples), table %s,"
                        + " stopping at the first sighting", roundsRun.get(), Taos2Scenario.WORKERS, calls.sum(),
                        samples, table.tableName()), "at most one active token per agent, exactly one issue won per"
                        + " round, the rest refused with the typed error, no raw SQL error")
                .operations(calls.sum())
                .metric("rounds", roundsRun.get())
                .metric("calls", calls.sum())
                .metric("readerSamples", samples)
                .metric("typedRefusals", typedRefusals.sum())
                .metric("rawErrors", rawErrors.get())
                .metric("agentsWithSeveralValidTokens", severalValid)
                .metric("elapsedMillis", millis);
        if (firstRawErrorMillis.get() >= 0) {
            o.metric("firstRawErrorAfterMillis", firstRawErrorMillis.get()).evidence("firstRawError",
                    firstRawError.get());
        }
        if (!multiActive.isEmpty()) {
            o.evidence("agentsWithSeveralActiveTokens", multiActive);
        }
        return o;
    }

    /** Revoke then issue must work on the first {@code agents} agents; returns what went wrong, or null. */
    private static String revokeThenIssue(AgentTokenStore store, int agents) {
        for (int r = 0; r < agents; r++) {
            String agent = "agent-" + r;
            try {
                store.revoke(agent);
                IssuedToken fresh = store.issue(agent);
                if (!store.validate(agent, fresh.secret())) {
                    return "revoke then issue left " + agent + " without a valid token";
                }
            } catch (RuntimeException e) {
                return "revoke then issue failed for " + agent + ": " + e.getMessage();
            }
        }
        return null;
    }

}
