package io.stresslab.bench.molecule;

import io.stresslab.core.molecule.AtomicCooldownGate;
import io.stresslab.core.molecule.CooldownGate;
import io.stresslab.core.molecule.LoadThenStoreCooldownGate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * MOLECULE-2: recovery-gate decisions per second, run with 1 and 2 threads, on one hot workspace
 * ({@code workspaces=1}: every heartbeat of every thread hits the same entry) or 1,024 ({@code workspaces=1024}).
 * The clock is fixed, so after each workspace's first fire every decision is "cooling down" — the steady state of
 * 30 s heartbeats against a 5 min cooldown. {@code load-then-store} (before) answers that with a map read;
 * {@code atomic-compute} (after) with a read that refuses a cooling-down workspace before its
 * {@code ConcurrentHashMap.compute} (which alone decides a fire). The {@code ceiling} is a bare {@code
 * ConcurrentHashMap.get} of the same map shape. The {@code floor} is the least a cooldown decision can do, called
 * like the gates (through {@link CooldownGate#tryFire}, so it is compiled and inlined like them): that {@code get}, a
 * read of the injected clock and the comparison with the cooldown. A decision that does not read the clock cannot
 * tell a cooling-down workspace from a cooled-down one. It never records a fire, so it is a cost floor of the
 * refusal, not a gate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CooldownGateBenchmark {
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-06-24T12:00:00Z"), ZoneOffset.UTC);
    private static final Runnable RECONCILE = () -> { };

    @Param({"load-then-store", "atomic-compute", "ceiling", "floor"})
    public String variant;

    @Param({"1", "1024"})
    public int workspaces;

    private String[] ids;
    private CooldownGate gate;
    private ConcurrentHashMap<String, Long> lastFire;
    private final AtomicInteger threadIds = new AtomicInteger();

    /** Each thread walks the workspaces from its own offset. */
    @State(Scope.Thread)
    public static class Heartbeats {
        int next;

        @Setup(Level.Trial)
        public void setUp(CooldownGateBenchmark bench) {
            next = bench.threadIds.getAndIncrement() * 7919;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (Integer.bitCount(workspaces) != 1) {
            throw new IllegalArgumentException("workspaces must be a power of two, was " + workspaces);
        }
        ids = new String[workspaces];
        for (int i = 0; i < workspaces; i++) {
            ids[i] = "ws-" + i;
        }
        Duration cooldown = Duration.ofMinutes(5);
        gate = switch (variant) {
            case "load-then-store" -> new LoadThenStoreCooldownGate(FIXED, cooldown);
            case "atomic-compute" -> new AtomicCooldownGate(FIXED, cooldown);
            case "ceiling" -> null;
            case "floor" -> refusalFloor(FIXED, cooldown.toMillis());
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
        lastFire = new ConcurrentHashMap<>();
        for (String id : ids) {
            lastFire.put(id, FIXED.millis());
        }
    }

    private CooldownGate refusalFloor(Clock clock, long cooldownMillis) {
        return (ws, reconcile) -> {
            Long last = lastFire.get(ws);
            return last == null || clock.millis() - last >= cooldownMillis;
        };
    }

    @Benchmark
    public boolean heartbeat(Heartbeats h) {
        String ws = ids[h.next++ & (workspaces - 1)];
        return gate == null ? lastFire.get(ws) != null : gate.tryFire(ws, RECONCILE);
    }
}
