package io.stresslab.stress.scenarios.molecule;

import io.stresslab.core.molecule.PluginReconciler;
import io.stresslab.core.molecule.PluginReconciler.Trigger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@link RecoveryLoop} has seen so far: one {@link RecoveryTrack} per workspace, the heartbeat count and the
 * invariants broken at some heartbeat; written by the heartbeat driver and the reconciler's listener, read by the
 * watchdog's progress wait.
 */
final class RecoveryTracks {
    private final Map<String, RecoveryTrack> tracks = new LinkedHashMap<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong heartbeats = new AtomicLong();
    private final List<String> recovering;
    private final int maxViolations;

    RecoveryTracks(List<String> workspaces, List<String> recovering, int maxViolations) {
        workspaces.forEach(ws -> tracks.put(ws, new RecoveryTrack()));
        this.recovering = recovering;
        this.maxViolations = maxViolations;
    }

    RecoveryTrack track(String ws) {
        return tracks.get(ws);
    }

    void beat() {
        heartbeats.incrementAndGet();
    }

    long heartbeats() {
        return heartbeats.get();
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    void violate(String obligation, String what) {
        if (violations.size() < maxViolations) {
            violations.add(obligation + ": heartbeat " + heartbeats.get() + ": " + what);
        }
    }

    PluginReconciler.Listener listener() {
        return new PluginReconciler.Listener() {
            @Override
            public void fired(String ws, Trigger trigger) {
                tracks.get(ws).fires.computeIfAbsent(trigger, k -> new LongAdder()).increment();
            }

            @Override
            public void finished(String ws, int installed, Throwable failure) {
                RecoveryTrack track = tracks.get(ws);
                track.finished.increment();
                if (installed > 0 && failure == null && track.installedAtBeat.compareAndSet(-1, track.beats.get())) {
                    track.installedAtNanos.set(System.nanoTime());
                }
            }
        };
    }

    /** Anything that moves a concierge towards online: a fire, a finished reconcile, reaching online. */
    long recoveryProgress() {
        long p = 0;
        for (String ws : recovering) {
            RecoveryTrack t = tracks.get(ws);
            p += t.fires(Trigger.MCP_RECOVERY) + t.fires(Trigger.ONLINE_TRANSITION) + t.finished.sum()
                    + (t.online() ? 1 : 0);
        }
        return p;
    }

    boolean allRecovered() {
        return recovering.stream().allMatch(ws -> tracks.get(ws).online());
    }

    boolean enoughBeats(int minBeats) {
        return recovering.stream().map(tracks::get)
                .allMatch(t -> t.beats.get() >= Math.max(minBeats, t.onlineAtBeat.get() + 3));
    }
}
