package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.taos.IdempotencyException;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.StoredResponse;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.ConcurrentRounds;
import io.stresslab.stress.harness.Findings;
import io.stresslab.stress.harness.LatencyStats;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * TAOS-1 with real threads in one JVM: {@value #CALLERS} callers send every Idempotency-Key together (one lock-step
 * round per key, {@link ConcurrentRounds}, like a client's request and its retries), each call creating an agent
 * through {@link Taos1Workload.AgentDirectory}. Per key it counts the handler runs (agents created) and the distinct
 * responses the callers received: the contract (once-per-key) is exactly one agent and one response per key.
 */
final class ConcurrentRetries {
    static final int CALLERS = 4;
    private static final int BASE_KEYS = 500;
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int EXAMPLES = 5;

    private ConcurrentRetries() {
    }

    /** Per key: handler runs and each caller's response; or the hang, when the callers did not finish. */
    record Seen(int keys, AtomicInteger[] runs, String[][] responses, long[] callNanos, Watchdog.Outcome<Void> hang) {
    }

    static Seen run(CheckContext ctx, IdempotencyStore store) throws Exception {
        int keys = ctx.ops(BASE_KEYS);
        Taos1Workload.AgentDirectory directory = new Taos1Workload.AgentDirectory();
        AtomicInteger[] runs = IntStream.range(0, keys).mapToObj(k -> new AtomicInteger())
                .toArray(AtomicInteger[]::new);
        String[][] responses = new String[keys][CALLERS];
        long[] callNanos = new long[keys * CALLERS];
        Watchdog.Outcome<Void> hang = ConcurrentRounds.run("TAOS-1 callers", CALLERS, keys, DEADLINE, (c, k) -> {
            long t0 = System.nanoTime();
            try {
                responses[k][c] = store.execute(Taos1Workload.key("k" + k), Taos1Workload.FINGERPRINT, () -> {
                    runs[k].incrementAndGet();
                    String slug = directory.add("agent-" + k);
                    Taos1Workload.saveConfigIo();
                    return new StoredResponse(201, slug);
                }, Taos1Workload.WAIT).body();
            } catch (IdempotencyException e) {
                responses[k][c] = "IdempotencyException " + e.reason(); // a refusal: not the owner's response
            }
            callNanos[k * CALLERS + c] = System.nanoTime() - t0;
        });
        return new Seen(keys, runs, responses, callNanos, hang);
    }

    static Findings judge(Seen s) {
        List<String> duplicated = new ArrayList<>();
        List<String> differing = new ArrayList<>();
        for (int k = 0; s.hang() == null && k < s.keys(); k++) {
            String example = "key k" + k + ": handler ran " + s.runs()[k].get() + "×; responses "
                    + Arrays.toString(s.responses()[k]);
            if (s.runs()[k].get() != 1) {
                duplicated.add(example);
            } else if (Arrays.stream(s.responses()[k]).distinct().count() > 1) {
                differing.add(example);
            }
        }
        return new Findings()
                .check(s.hang() != null, "wait-honoured", () -> "callers hung: " + s.hang().describe())
                .check(!duplicated.isEmpty(), "once-per-key", () -> duplicated.size() + " of " + s.keys() + " keys"
                        + " ran the handler more than once (duplicate agents hidden by -2 slugs), e.g. "
                        + String.join("; ", duplicated.subList(0, Math.min(EXAMPLES, duplicated.size()))))
                .check(!differing.isEmpty(), "once-per-key", () -> differing.size() + " keys ran once but answered"
                        + " their callers differently, e.g. " + differing.get(0));
    }

    static Observation describe(Seen s, Findings f) {
        Observation o = f.observe(s.keys() + " keys × " + CALLERS + " concurrent callers",
                "one agent per key, and every caller of a key got the identical response");
        o.operations((long) s.keys() * CALLERS).metric("keys", s.keys()).metric("callers", CALLERS)
                .metric("handlerRuns", Arrays.stream(s.runs()).mapToInt(AtomicInteger::get).sum())
                .metric("callLatency", LatencyStats.ofNanos(Arrays.stream(s.callNanos()).boxed().toList()).toMetric());
        if (s.hang() != null && s.hang().dump() != null) {
            o.evidence("threadDump", s.hang().dump().toEvidence(ConcurrentRounds.CALLER_THREADS));
        }
        return o;
    }
}
