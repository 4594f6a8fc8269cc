package io.stresslab.core.archon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sequential semantics of the lifespans; the concurrent liveness check is the stress module's ARCHON-1 scenario. */
class LifespanTest {
    private final EventLoop loop = new EventLoop("archon-test-loop");

    @AfterEach
    void stop() {
        loop.shutdownNow();
    }

    /** Opens one session on the loop that exits at once, and returns the context it got. */
    private ArchonContext session(Lifespan lifespan) throws Exception {
        CompletableFuture<ArchonContext> result = new CompletableFuture<>();
        loop.execute(() -> lifespan.session(CompletableFuture::completedFuture).whenComplete((c, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(c);
            }
        }));
        return result.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aFailedInitializationPublishesNothingAndTheNextSessionRetries() throws Exception {
        try (SimulatedArchonServices services = new SimulatedArchonServices(loop, Duration.ofMillis(10), 1)) {
            Lifespan lifespan = new AsyncLockLifespan(loop, services);
            CompletableFuture<ArchonContext> first = new CompletableFuture<>();
            loop.execute(() -> lifespan.session(CompletableFuture::completedFuture)
                    .whenComplete((c, e) -> first.complete(c)));
            assertThat(first.get(5, TimeUnit.SECONDS)).as("the first session failed").isNull();
            ArchonContext second = session(lifespan);
            assertThat(second).isNotNull();
            assertThat(services.healthChecks()).isEqualTo(2);
            assertThat(session(lifespan)).isSameAs(second);
            assertThat(services.initializations()).isEqualTo(2);
        }
    }

    @Test
    void bothLifespansShareOneContextAcrossSequentialSessions() throws Exception {
        for (boolean async : new boolean[] {true, false}) {
            try (SimulatedArchonServices services = new SimulatedArchonServices(loop, Duration.ofMillis(5), 0)) {
                Lifespan lifespan = async ? new AsyncLockLifespan(loop, services)
                        : new BlockingLockLifespan(loop, services);
                ArchonContext a = session(lifespan);
                assertThat(session(lifespan)).isSameAs(a);
                assertThat(services.initializations()).isEqualTo(1);
            }
        }
    }

    @Test
    void aSessionOffTheLoopIsRefused() {
        try (SimulatedArchonServices services = new SimulatedArchonServices(loop, Duration.ofMillis(5), 0)) {
            Lifespan lifespan = new AsyncLockLifespan(loop, services);
            assertThatThrownBy(() -> lifespan.session(CompletableFuture::completedFuture))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("event loop thread");
        }
    }
}
