package io.stresslab.core.archon;

import java.util.concurrent.CompletableFuture;

/**
 * What the lifespan initializes from: two synchronous factory calls, then an asynchronous health check of the
 * service client. The health check's future completes on the event loop, as an awaited aiohttp call's would — so a
 * blocked loop can never complete it.
 */
public interface ArchonServices {
    Object newSessionManager();

    Object newServiceClient();

    /** Checks the service client; the future completes (or fails) on the event loop. */
    CompletableFuture<Void> healthCheck(Object serviceClient);
}
