package com.example.gate;

import io.stresslab.core.molecule.CooldownGate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Deliberately wrong: reads the last fire, decides, then writes — two heartbeats can both fire. */
public final class CheckThenActGate implements CooldownGate {
    private final Clock clock;
    private final long cooldownMillis;
    private final Map<String, Long> last = new ConcurrentHashMap<>();

    public CheckThenActGate(Clock clock, Duration cooldown) {
        this.clock = clock;
        this.cooldownMillis = cooldown.toMillis();
    }

    @Override
    public boolean tryFire(String workspaceId, Runnable reconcile) {
        if (workspaceId == null || workspaceId.isEmpty() || reconcile == null) {
            return false;
        }
        long now = clock.millis();
        Long prev = last.get(workspaceId);
        if (prev != null && now - prev < cooldownMillis) {
            return false;
        }
        last.put(workspaceId, now);
        reconcile.run();
        return true;
    }
}
