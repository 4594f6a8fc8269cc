package io.stresslab.core.db;

import java.time.Duration;

/**
 * Bounded exponential backoff for transient database failures. The defaults follow the task orchestrator's documented
 * fix (seed 003): 4 attempts, waiting 0.1 s, 0.3 s, 0.6 s between them (growth ×2 capped by {@code maxDelay}, plus
 * jitter so racing workers do not retry in lock-step).
 */
public record RetryPolicy(int maxAttempts, Duration firstDelay, double factor, Duration maxDelay) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofMillis(100), 2.5, Duration.ofMillis(600));
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, 1, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** The wait before attempt {@code attempt + 1}, for {@code attempt >= 1}, without jitter. */
    public Duration delayAfter(int attempt) {
        double millis = firstDelay.toMillis() * Math.pow(factor, attempt - 1);
        return Duration.ofMillis((long) Math.min(millis, maxDelay.toMillis()));
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, firstDelay, factor, maxDelay);
    }
}
