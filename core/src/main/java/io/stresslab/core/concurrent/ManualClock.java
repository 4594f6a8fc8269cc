package io.stresslab.core.concurrent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock moved by hand, for the stores that take an injected {@link Clock} (TTLs, cooldowns, leases): checks and
 * tests make time pass with {@link #advance} instead of sleeping. Safe to read from many threads.
 */
public final class ManualClock extends Clock {
    private volatile Instant now;

    public ManualClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public ManualClock(Instant start) {
        this.now = start;
    }

    /** Moves time forward (or back, for a negative duration). */
    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same clock: its instant does not depend on a zone. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
