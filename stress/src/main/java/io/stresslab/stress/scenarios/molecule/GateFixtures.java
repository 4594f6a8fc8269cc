package io.stresslab.stress.scenarios.molecule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** The fixed inputs of the MOLECULE-2 jcstress and Lincheck tests: a clock that never moves, the seed's cooldown. */
final class GateFixtures {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-24T12:00:00Z"), ZoneOffset.UTC);
    static final Duration COOLDOWN = Duration.ofMinutes(5);
    static final String WORKSPACE = "concierge";
    /** The fire itself does nothing here: the tests look only at which heartbeats fired. */
    static final Runnable RECONCILE = () -> {
    };

    private GateFixtures() {
    }
}
