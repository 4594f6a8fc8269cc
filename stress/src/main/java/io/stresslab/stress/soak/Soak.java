package io.stresslab.stress.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import io.stresslab.stress.campaign.Campaign;
import io.stresslab.stress.campaign.CampaignResult;
import io.stresslab.stress.campaign.CampaignSpec;
import io.stresslab.stress.campaign.FaultEvent;
import io.stresslab.stress.campaign.WorkerOutcome;
import io.stresslab.stress.harness.CheckContext;
import io.stresslab.stress.harness.DatabaseTarget;
import io.stresslab.stress.harness.RunSettings;
import io.stresslab.stress.history.HistoryChecker;
import io.stresslab.stress.history.LiveJudge;
import io.stresslab.stress.history.Op;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code stresslab soak}: the after variants' multi-worker workloads, one after the other in consecutive segments
 * (round robin, each segment one campaign of at most {@code segment}, until the duration is used up), every segment
 * under the run's faults on its own seeded schedule ({@link Campaign#builderFor}: a kill -9 of one worker, injected
 * transient commit failures, pg_terminate_backend on PostgreSQL, and whatever fault kinds the run settings know).
 * Histories are judged only live and streamed ({@link CampaignSpec.Builder#streaming}): the coordinator's memory is
 * bounded by the judges' per-key state, never the history's length; each segment ends with a per-key audit of its
 * database. A clean segment's worker history files are deleted (disk stays bounded too); a segment with a violation,
 * a hang or a failed worker keeps its folder.
 */
public final class Soak {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DESCRIBED = 5;

    /** What to run. {@code out}: soak.json and work/ go there. */
    public record Options(Duration duration, Duration segment, int workers, DatabaseTarget target, long seed,
                          Set<RunSettings.Fault> faults, Path out, Duration progressEvery) {
    }

    private final Options o;
    private final PrintStream log;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong liveOps = new AtomicLong();
    private final AtomicLong peakHeap = new AtomicLong();
    private volatile long doneOps;
    private volatile int faultCount;
    private volatile int violationCount;

    private Soak(Options o, PrintStream log) {
        this.o = o;
        this.log = log;
    }

    /** Runs the soak, prints progress lines to {@code log}, writes {@code soak.json}; returns the record. */
    public static Map<String, Object> run(Options o, List<SoakWorkload> workloads, PrintStream log) {
        return new Soak(o, log).execute(workloads);
    }

    /** Exit status of a finished soak record: 0 clean, 1 violations, hangs or failed workers. */
    public static int exitCode(Map<String, Object> record) {
        return ((Number) ((Map<?, ?>) record.get("violations")).get("count")).intValue() == 0
                && ((Number) record.get("hangs")).intValue() == 0
                && ((Number) record.get("workerFailures")).intValue() == 0 ? 0 : 1;
    }

    private Map<String, Object> execute(List<SoakWorkload> workloads) {
        long start = System.nanoTime();
        Map<String, Long> opsPer = new LinkedHashMap<>();
        workloads.forEach(w -> opsPer.put(w.id(), 0L));
        List<Map<String, Object>> faults = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        List<Map<String, Object>> segments = new ArrayList<>();
        int hangs = 0;
        int failures = 0;
        SplittableRandom seeds = new SplittableRandom(o.seed());
        Thread sampler = startSampler(start);
        try {
            Duration left = o.duration();
            for (int i = 0; !left.isZero() && !left.isNegative(); i++) {
                SoakWorkload w = workloads.get(i % workloads.size());
                int segNo = i;
                Duration seg = left.compareTo(o.segment()) < 0 ? left : o.segment();
                left = left.minus(seg);
                long segSeed = seeds.nextLong();
                RunSettings settings = new RunSettings(1, segSeed, o.out().resolve("records"),
                        o.out().resolve("work"), new RunSettings.Workers(o.workers(), seg, null, o.faults()), 1);
                CheckContext ctx = CheckContext.forCampaigns(o.target(), settings);
                String name = "soak-" + w.id() + "-" + i;
                DbConfig cfg = Campaign.sharedConfig(ctx, name.replace('-', '_'));
                try (Database db = Database.open(cfg)) {
                    CampaignSpec.Builder b = Campaign.builderFor(ctx, name, w.workload(), cfg, seg)
                            .threadsPerWorker(w.threadsPerWorker()).streaming(true);
                    w.prepare(db, b);
                    LiveJudge judge = w.judge(o.workers());
                    b.liveJudge(() -> counting(judge));
                    CampaignResult r = Campaign.run(b.build());
                    doneOps += r.operations();
                    liveOps.set(0);
                    opsPer.merge(w.id(), r.operations(), Long::sum);
                    for (FaultEvent f : r.faults()) {
                        Map<String, Object> fe = new LinkedHashMap<>();
                        fe.put("segment", i);
                        fe.put("workload", w.id());
                        fe.put("kind", f.kind());
                        fe.put("worker", f.worker());
                        fe.put("atMillis", f.atMillis());
                        fe.put("detail", f.detail());
                        faults.add(fe);
                    }
                    faultCount = faults.size();
                    List<String> found = new ArrayList<>();
                    if (r.liveViolation() != null) {
                        found.add(w.id() + " segment " + i + ": " + r.liveViolation().describe());
                    }
                    w.audit(db, r, judge).forEach(a -> found.add(w.id() + " segment " + segNo + ": " + a));
                    int segHangs = (int) r.workers().stream()
                            .filter(x -> x.status() == WorkerOutcome.Status.TIMED_OUT).count();
                    int segFailures = (int) r.workers().stream().filter(x -> !x.healthy()
                            && x.status() != WorkerOutcome.Status.TIMED_OUT).count();
                    hangs += segHangs;
                    failures += segFailures;
                    violations.addAll(found);
                    violationCount = violations.size();
                    Map<String, Object> sm = new LinkedHashMap<>();
                    sm.put("segment", i);
                    sm.put("workload", w.id());
                    sm.put("durationMillis", seg.toMillis());
                    sm.put("operations", r.operations());
                    sm.put("runMillis", r.run().toMillis());
                    sm.put("violations", found.size());
                    sm.put("unhealthyWorkers", r.unhealthyWorkers());
                    sm.put("folder", r.dir().toString());
                    segments.add(sm);
                    if (found.isEmpty() && segHangs == 0 && segFailures == 0) {
                        deleteHistories(r.dir());
                    }
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(w.id() + " segment " + i + ": " + e.getMessage(), e);
                }
            }
        } finally {
            sampler.interrupt();
        }
        sample();
        long elapsed = System.nanoTime() - start;
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("durationMillis", o.duration().toMillis());
        rec.put("elapsedMillis", elapsed / 1_000_000);
        rec.put("workers", o.workers());
        rec.put("database", o.target().kind().name().toLowerCase(java.util.Locale.ROOT));
        rec.put("seed", o.seed());
        rec.put("segmentMillis", o.segment().toMillis());
        rec.put("workloads", workloads.stream().map(SoakWorkload::describe).toList());
        Map<String, Object> ops = new LinkedHashMap<>();
        ops.put("total", doneOps);
        ops.put("perWorkload", opsPer);
        ops.put("perSecond", Math.round(doneOps / Math.max(1e-9, elapsed / 1e9)));
        rec.put("operations", ops);
        rec.put("faults", faults);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("count", violations.size());
        v.put("first", violations.subList(0, Math.min(DESCRIBED, violations.size())));
        rec.put("violations", v);
        rec.put("hangs", hangs);
        rec.put("workerFailures", failures);
        rec.put("peakHeapBytes", peakHeap.get());
        rec.put("segments", segments);
        Path file = o.out().resolve("soak.json");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), rec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        log.printf("soak: done in %s: %,d operations (%,d ops/s), %d faults, %d violations, %d hangs, %d failed "
                        + "workers, peak heap %d MB; record %s%n", clock(elapsed), doneOps, ops.get("perSecond"),
                faults.size(), violations.size(), hangs, failures, peakHeap.get() >> 20, file);
        violations.stream().limit(DESCRIBED).forEach(x -> log.println("soak: violation: " + x));
        return rec;
    }

    /** The segment's judge, counting invoked operations for the progress line. */
    private LiveJudge counting(LiveJudge judge) {
        return new LiveJudge() {
            @Override
            public HistoryChecker.Violation invoked(Op op) {
                liveOps.incrementAndGet();
                return judge.invoked(op);
            }

            @Override
            public HistoryChecker.Violation completed(Op op) {
                return judge.completed(op);
            }

            @Override
            public HistoryChecker.Violation progressed(int worker, int thread, long t) {
                return judge.progressed(worker, thread, t);
            }

            @Override
            public HistoryChecker.Violation workerEnded(int worker, long lastEventNanos, long killedAtNanos) {
                return judge.workerEnded(worker, lastEventNanos, killedAtNanos);
            }

            @Override
            public int trackedKeys() {
                return judge.trackedKeys();
            }
        };
    }

    private void sample() {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }

    /** Samples the heap every 200 ms and prints a progress line every {@code progressEvery}. */
    private Thread startSampler(long start) {
        Thread t = new Thread(() -> {
            long nextLine = start + o.progressEvery().toNanos();
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(200);
                    sample();
                    long now = System.nanoTime();
                    if (now - nextLine >= 0) {
                        nextLine += o.progressEvery().toNanos();
                        long ops = doneOps + liveOps.get();
                        double secs = (now - start) / 1e9;
                        log.printf("soak: %s elapsed, %,d ops (%,.0f ops/s), %d faults, %d violations, heap %d MB%n",
                                clock(now - start), ops, ops / secs, faultCount, violationCount,
                                memory.getHeapMemoryUsage().getUsed() >> 20);
                    }
                }
            } catch (InterruptedException e) {
                // the soak is over
            }
        }, "stresslab-soak-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String clock(long nanos) {
        long s = nanos / 1_000_000_000L;
        return String.format("%d:%02d", s / 60, s % 60);
    }

    private static void deleteHistories(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".history.jsonl")).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // disk hygiene only: a file left behind changes no verdict
        }
    }
}
