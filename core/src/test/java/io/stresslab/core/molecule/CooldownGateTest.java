package io.stresslab.core.molecule;

import io.stresslab.core.concurrent.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The gates' sequential semantics (identical for both) and the atomic gate under concurrent heartbeats. */
class CooldownGateTest {
    private static final Duration COOLDOWN = Duration.ofMinutes(5);

    static List<BiFunction<Clock, Duration, CooldownGate>> gates() {
        return List.of(LoadThenStoreCooldownGate::new, AtomicCooldownGate::new);
    }

    @ParameterizedTest
    @MethodSource("gates")
    void firesOncePerCooldownWindowAndAgainAfterIt(BiFunction<Clock, Duration, CooldownGate> make) {
        ManualClock clock = new ManualClock();
        CooldownGate gate = make.apply(clock, COOLDOWN);
        AtomicInteger fired = new AtomicInteger();
        assertThat(gate.tryFire("ws", fired::incrementAndGet)).isTrue();
        clock.advance(COOLDOWN.minusMillis(1));
        assertThat(gate.tryFire("ws", fired::incrementAndGet)).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(gate.tryFire("ws", fired::incrementAndGet)).isTrue();
        assertThat(fired).hasValue(2);
    }

    @ParameterizedTest
    @MethodSource("gates")
    void workspacesAreIndependent(BiFunction<Clock, Duration, CooldownGate> make) {
        CooldownGate gate = make.apply(new ManualClock(), COOLDOWN);
        assertThat(gate.tryFire("a", () -> { })).isTrue();
        assertThat(gate.tryFire("b", () -> { })).isTrue();
        assertThat(gate.tryFire("a", () -> { })).isFalse();
    }

    @ParameterizedTest
    @MethodSource("gates")
    void nullReconcileAndEmptyIdAreNoOps(BiFunction<Clock, Duration, CooldownGate> make) {
        CooldownGate gate = make.apply(new ManualClock(), COOLDOWN);
        AtomicInteger fired = new AtomicInteger();
        assertThat(gate.tryFire("ws", null)).isFalse();
        assertThat(gate.tryFire("", fired::incrementAndGet)).isFalse();
        assertThat(gate.tryFire(null, fired::incrementAndGet)).isFalse();
        assertThat(fired).hasValue(0);
        assertThat(gate.tryFire("ws", fired::incrementAndGet)).as("a no-op does not start the cooldown").isTrue();
    }

    @Test
    void rejectsANonPositiveCooldown() {
        assertThatThrownBy(() -> new AtomicCooldownGate(new ManualClock(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cooldown must be positive");
    }

    @Test
    void atomicGateFiresOnceUnderConcurrentHeartbeats() throws Exception {
        int threads = 4;
        int rounds = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                CooldownGate gate = new AtomicCooldownGate(new ManualClock(), COOLDOWN);
                AtomicInteger fired = new AtomicInteger();
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<?>> beats = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    beats.add(pool.submit(() -> {
                        start.await(5, TimeUnit.SECONDS);
                        return gate.tryFire("ws", fired::incrementAndGet);
                    }));
                }
                for (Future<?> f : beats) {
                    f.get(5, TimeUnit.SECONDS);
                }
                assertThat(fired).as("round %d", round).hasValue(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
