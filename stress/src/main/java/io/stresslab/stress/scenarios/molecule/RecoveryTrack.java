package io.stresslab.stress.scenarios.molecule;

import io.stresslab.core.molecule.PluginReconciler.Trigger;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What happened to one workspace of {@link RecoveryLoop}, in heartbeats (its own count) and nanoTime. */
final class RecoveryTrack {
    final AtomicLong beats = new AtomicLong();
    final AtomicLong installedAtBeat = new AtomicLong(-1);
    final AtomicLong installedAtNanos = new AtomicLong();
    final AtomicLong onlineAtBeat = new AtomicLong(-1);
    final AtomicLong onlineAtNanos = new AtomicLong();
    final Map<Trigger, LongAdder> fires = new ConcurrentHashMap<>();
    final LongAdder finished = new LongAdder();

    long fires(Trigger t) {
        LongAdder a = fires.get(t);
        return a == null ? 0 : a.sum();
    }

    boolean online() {
        return onlineAtBeat.get() >= 0;
    }

    /** Heartbeats from the reconcile's install to the first online answer (-1 if either never happened). */
    long beatsFromInstallToOnline() {
        return online() && installedAtBeat.get() >= 0 ? onlineAtBeat.get() - installedAtBeat.get() : -1;
    }
}
