package io.stresslab.core.molecule;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MOLECULE-2 before (the merged guard of molecule PR #3228): {@code last = lastFire.Load(ws); if cooling down
 * return; lastFire.Store(ws, now); fire()}. Each map call is atomic but the pair is not: two concurrent heartbeats
 * can both load "never fired" (or an expired time) and both fire.
 */
public final class LoadThenStoreCooldownGate extends ClockedCooldownGate {
    private final Map<String, Long> lastFire = new ConcurrentHashMap<>();

    public LoadThenStoreCooldownGate(Clock clock, Duration cooldown) {
        super(clock, cooldown);
    }

    @Override
    protected boolean claim(String workspaceId, long now) {
        Long last = lastFire.get(workspaceId);
        if (!cooledDown(last, now)) {
            return false;
        }
        lastFire.put(workspaceId, now);
        return true;
    }
}
