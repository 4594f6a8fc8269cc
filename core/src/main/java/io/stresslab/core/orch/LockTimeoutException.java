package io.stresslab.core.orch;

import java.time.Duration;

/** An acquire gave up: the resource stayed held by someone else for the whole acquire timeout. */
public final class LockTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LockTimeoutException(String resource, String owner, Duration waited) {
        super(owner + " could not acquire '" + resource + "' within " + waited.toMillis() + " ms");
    }
}
