package io.stresslab.core.molecule;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What both MOLECULE-2 gates share: the injected {@link Clock}, the cooldown, the no-op rules and fire-after-store.
 * They differ only in {@link #claim}: whether deciding and recording a fire is one atomic step.
 */
abstract sealed class ClockedCooldownGate implements CooldownGate
        permits LoadThenStoreCooldownGate, AtomicCooldownGate {
    private final Clock clock;
    private final long cooldownMillis;

    ClockedCooldownGate(Clock clock, Duration cooldown) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (cooldown == null || cooldown.isNegative() || cooldown.isZero()) {
            throw new IllegalArgumentException("cooldown must be positive, got " + cooldown);
        }
        this.cooldownMillis = cooldown.toMillis();
    }

    @Override
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
