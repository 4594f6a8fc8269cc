package io.stresslab.core.molecule;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The per-workspace guard in front of the MCP-recovery reconcile (MOLECULE-2): fires the reconcile unless one fired
 * for the same workspace within the cooldown (5 min in the seed). Time comes from an injected {@link Clock}. A null
 * reconcile or a null or empty workspace id is a no-op.
 */
public abstract sealed class CooldownGate permits LoadThenStoreCooldownGate, AtomicCooldownGate {
    private final Clock clock;
    private final long cooldownMillis;

    protected CooldownGate(Clock clock, Duration cooldown) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (cooldown == null || cooldown.isNegative() || cooldown.isZero()) {
            throw new IllegalArgumentException("cooldown must be positive, got " + cooldown);
        }
        this.cooldownMillis = cooldown.toMillis();
    }

    /** Runs {@code reconcile} (on the caller's thread; it should only start the async work) unless cooling down. */
    public final boolean tryFire(String workspaceId, Runnable reconcile) {
        if (reconcile == null || workspaceId == null || workspaceId.isEmpty()) {
            return false;
        }
        if (!claim(workspaceId, clock.millis())) {
            return false;
        }
        reconcile.run(); // stored before fired, as in the seed
        return true;
    }

    /** Records a fire at {@code now} for the workspace and answers true, or answers false if it is cooling down. */
    protected abstract boolean claim(String workspaceId, long now);

    /** Whether a fire at {@code now} is allowed after the last one at {@code last} (null: never fired). */
    protected final boolean cooledDown(Long last, long now) {
        return last == null || now - last >= cooldownMillis;
    }
}
