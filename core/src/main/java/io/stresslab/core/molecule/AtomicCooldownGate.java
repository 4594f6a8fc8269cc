package io.stresslab.core.molecule;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MOLECULE-2 after: the cooldown decision and the store are one atomic {@link ConcurrentHashMap#compute} on the
 * workspace's entry, so at most one caller per workspace wins per cooldown window under any concurrency; a later
 * caller wins again once the window has passed, and workspaces never contend with each other's entries.
 *
 * <p>A read comes first: a workspace that is cooling down — the common answer — is refused by one lock-free
 * {@code get}, with no write. The read can only refuse, never grant: a fire recorded after it would only make the
 * {@code compute} refuse too, so the decision to fire is still the {@code compute}'s alone.
 */
public final class AtomicCooldownGate extends ClockedCooldownGate {
    private final ConcurrentHashMap<String, Long> lastFire = new ConcurrentHashMap<>();

    public AtomicCooldownGate(Clock clock, Duration cooldown) {
        super(clock, cooldown);
    }

    @Override
    protected boolean claim(String workspaceId, long now) {
        if (!cooledDown(lastFire.get(workspaceId), now)) {
            return false; // fast path: cooling down, nothing to write
        }
        boolean[] won = new boolean[1]; // compute runs the function exactly once, under the entry's lock
        lastFire.compute(workspaceId, (ws, last) -> {
            if (!cooledDown(last, now)) {
                return last;
            }
            won[0] = true;
            return now;
        });
        return won[0];
    }
}
