package com.example.gate;

import io.stresslab.core.molecule.CooldownGate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/** Correct: deciding and recording a fire is one atomic step per workspace (ConcurrentHashMap.merge). */
public final class TimestampGate implements CooldownGate {
    private final Clock clock;
    private final long cooldownMillis;
    private final ConcurrentHashMap<String, long[]> last = new ConcurrentHashMap<>();

    public TimestampGate(Clock clock, Duration cooldown) {
        this.clock = clock;
        this.cooldownMillis = cooldown.toMillis();
    }

    @Override
    public boolean tryFire(String workspaceId, Runnable reconcile) {
        if (workspaceId == null || workspaceId.isEmpty() || reconcile == null) {
            return false;
        }
        long now = clock.millis();
        long[] mine = {now};
        long[] kept = last.merge(workspaceId, mine, (old, fresh) -> now - old[0] >= cooldownMillis ? fresh : old);
        if (kept != mine) {
            return false;
        }
        reconcile.run();
        return true;
    }
}
