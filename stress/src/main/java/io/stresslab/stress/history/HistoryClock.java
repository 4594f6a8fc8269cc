package io.stresslab.stress.history;

/**
 * The time base of every history: {@link System#nanoTime()}. On Linux HotSpot reads {@code CLOCK_MONOTONIC}, which
 * counts from boot for the whole machine, so the values of different JVMs on one machine are directly comparable
 * (and never jump with wall-clock changes). This is what the campaign engine relies on to merge the histories of its
 * worker processes; histories of different machines are NOT comparable.
 */
public final class HistoryClock {
    private HistoryClock() {
    }

    public static long now() {
        return System.nanoTime();
    }
}
