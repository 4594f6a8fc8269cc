package io.stresslab.stress.history;

import java.util.Optional;
import java.util.Set;

/**
 * A token/lease with at most one holder. State: the holder, or {@code ""} when free. Ops (holder names non-empty):
 * <ul>
 *   <li>{@code acquire(h)} → {@code true} iff it was free (or already h's); {@code false} means someone else holds it
 *       (a refusal for any other reason must be recorded as FAIL);</li>
 *   <li>{@code release(h)} → {@code true} iff h held it (it is then free), else {@code false};</li>
 *   <li>{@code takeover([h previous])} → {@code true}: h took an expired lease from {@code previous}, who must be
 *       the holder at that point;</li>
 *   <li>{@code holder} → the current holder ({@code ""} or {@code nil} when free).</li>
 * </ul>
 * A boolean result that is not {@code true}/{@code false} is rejected as malformed. Lease expiry itself is time,
 * which this model does not see: a scenario records the takeover that reclaims it.
 */
public final class LeaseModel implements Model<String> {
    private static final String FREE = "";
    private static final Set<String> OPS = Set.of("acquire", "release", "takeover", "holder");

    @Override
    public String init() {
        return FREE;
    }

    @Override
    public void validate(Op op) {
        Models.known("lease", op, OPS);
        switch (op.name()) {
            case "holder" -> Models.hasOutput(op);
            case "takeover" -> Models.hasInput(op, 2);
            default -> Models.hasInput(op, 1);
        }
        if (!op.name().equals("holder") && op.status() == Op.Status.OK) {
            Models.bool(op);
        }
    }

    @Override
    public Optional<String> step(String holder, Op op) {
        boolean unknown = op.status() == Op.Status.INFO;
        return switch (op.name()) {
            case "acquire" -> {
                boolean granted = holder.equals(FREE) || holder.equals(op.arg(0));
                yield outcome(unknown, granted, op, granted ? op.arg(0) : holder);
            }
            case "release" -> {
                boolean released = holder.equals(op.arg(0)) && !holder.equals(FREE);
                yield outcome(unknown, released, op, released ? FREE : holder);
            }
            case "takeover" -> {
                boolean applies = holder.equals(op.arg(1));
                yield outcome(unknown, applies, op, applies ? op.arg(0) : holder);
            }
            case "holder" -> unknown || holder.equals(op.result() == null ? FREE : op.result()) ? Optional.of(holder)
                    : Optional.empty();
            default -> throw new IllegalArgumentException("lease model has no operation '" + op.name() + "'");
        };
    }

    /** The next state if the recorded boolean result matches what the op did here (any result if unknown). */
    private static Optional<String> outcome(boolean unknown, boolean did, Op op, String next) {
        if (unknown) {
            return Optional.of(next);
        }
        return did == Models.bool(op) ? Optional.of(next) : Optional.empty();
    }

    @Override
    public boolean isReadOnly(Op op) {
        return op.name().equals("holder");
    }

    @Override
    public String describe(String holder) {
        return holder.equals(FREE) ? "free" : "held by " + holder;
    }
}
