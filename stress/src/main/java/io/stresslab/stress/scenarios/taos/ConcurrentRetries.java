package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.concurrent.Threads;
import io.stresslab.core.taos.IdempotencyException;
import io.stresslab.core.taos.IdempotencyStore;
import io.stresslab.core.taos.StoredResponse;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.Observation;
import io.stresslab.stress.harness.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * TAOS-1 with real threads in one JVM: {@value #CALLERS} callers send every Idempotency-Key together (a barrier per
 * key releases them at once, like a client's request and its retries), each call creating an agent through
 * {@link Taos1Workload.AgentDirectory}. Counts, per key, the handler runs (agents created) and the distinct responses
 * the callers received: the contract is exactly one agent and one response per key.
 */
final class ConcurrentRetries {
    static final int CALLERS = 4;
    private static final int BASE_KEYS = 500;
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int EXAMPLES = 5;

    private ConcurrentRetries() {
    }

    static Observation run(CheckContext ctx, IdempotencyStore store) throws Exception {
        int keys = ctx.ops(BASE_KEYS);
        Taos1Workload.AgentDirectory directory = new Taos1Workload.AgentDirectory();
        AtomicInteger[] runs = IntStream.range(0, keys).mapToObj(k -> new AtomicInteger()).toArray(AtomicInteger[]::new);
        String[][] responses = new String[keys][CALLERS];
        long[] callNanos = new long[keys * CALLERS];
        CyclicBarrier together = new CyclicBarrier(CALLERS);
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS, Threads.named("taos1-caller"));
        try {
            List<Future<?>> callers = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                int caller = c;
                callers.add(pool.submit(() -> {
                    for (int k = 0; k < keys; k++) {
                        int key = k;
                        together.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                        long t0 = System.nanoTime();
                        String body;
                        try {
                            body = store.execute(Taos1Workload.key("k" + key), Taos1Workload.FINGERPRINT, () -> {
                                runs[key].incrementAndGet();
                                String slug = directory.add("agent-" + key);
                                Taos1Workload.saveConfigIo();
                                return new StoredResponse(201, slug);
                            }, Taos1Workload.WAIT).body();
                        } catch (IdempotencyException e) {
                            body = "IdempotencyException " + e.reason(); // a refusal: not the owner's response
                        }
                        callNanos[key * CALLERS + caller] = System.nanoTime() - t0;
                        responses[key][caller] = body;
                    }
                    return null;
                }));
            }
            for (Future<?> f : callers) {
                Watchdog.Outcome<?> o = Watchdog.awaitFuture("TAOS-1 callers", DEADLINE, f);
                if (o.timedOut()) {
                    return Observation.bugObserved("callers stranded: " + o.describe())
                            .evidence("threadDump", o.dump().toEvidence("taos1-caller-"));
                }
                f.get(); // a caller's exception fails the check with its message
            }
        } finally {
            pool.shutdownNow();
        }
        return analyse(keys, runs, responses, directory, callNanos);
    }

    private static Observation analyse(int keys, AtomicInteger[] runs, String[][] responses,
                                       Taos1Workload.AgentDirectory directory, long[] callNanos) {
        int duplicateKeys = 0;
        int differingKeys = 0;
        List<String> examples = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            long distinct = Arrays.stream(responses[k]).distinct().count();
            boolean duplicate = runs[k].get() != 1;
            duplicateKeys += duplicate ? 1 : 0;
            differingKeys += distinct > 1 ? 1 : 0;
            if ((duplicate || distinct > 1) && examples.size() < EXAMPLES) {
                examples.add("key k" + k + ": handler ran " + runs[k].get() + "×; responses "
                        + Arrays.toString(responses[k]));
            }
        }
        int agents = directory.agents().size();
        String work = keys + " keys × " + CALLERS + " concurrent callers";
        Observation o = duplicateKeys > 0 || differingKeys > 0
                ? Observation.bugObserved(duplicateKeys + " of " + keys + " keys ran the handler more than once ("
                        + (agents - keys) + " duplicate agents hidden by -2 slugs), " + differingKeys
                        + " keys gave callers different responses; " + work)
                : Observation.bugAbsent("0 duplicates over " + work + ": " + agents
                        + " agents, one per key, and every caller of a key got the identical response");
        return o.operations((long) keys * CALLERS)
                .metric("keys", keys)
                .metric("callers", CALLERS)
                .metric("handlerRuns", agents)
                .metric("duplicateKeys", duplicateKeys)
                .metric("duplicateAgents", agents - keys)
                .metric("keysWithDifferentResponses", differingKeys)
                .metric("callMicrosP50", percentileMicros(callNanos, 0.50))
                .metric("callMicrosP99", percentileMicros(callNanos, 0.99))
                .metric("callMicrosMax", percentileMicros(callNanos, 1.0))
                .evidence("examples", examples.isEmpty() ? "none" : examples.stream()
                        .collect(Collectors.joining("\n")));
    }

    /** The {@code q} quantile of the call latencies (sorts the array), in microseconds. */
    private static long percentileMicros(long[] nanos, double q) {
        Arrays.sort(nanos);
        int i = (int) Math.min(nanos.length - 1, Math.ceil(q * nanos.length) - 1);
        return nanos[Math.max(0, i)] / 1_000;
    }
}
