package io.stresslab.stress.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live judges against the post-run checkers: generated campaign histories (several workers and threads, a killed
 * worker, files written with threads interleaved out of time order and read with arbitrary lag between files) get
 * the same verdict from {@link LiveMutualExclusion} fed event by event as from {@link MutualExclusionChecker} on the
 * merged files.
 */
class LiveJudgesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** One generated campaign: per worker its events in file order, and which worker was killed (-1 none) when. */
    private record Generated(List<List<HistoryEvent>> files, int killed, long killedAt) {
    }

    private static Generated generate(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int workers = 3;
        int threads = 2;
        int keys = 1 + rnd.nextInt(3);
        double overlapRate = rnd.nextInt(3) == 0 ? 0 : rnd.nextDouble() * 0.05;
        long[] busyUntil = new long[keys];
        long[][] clock = new long[workers][threads];
        long[] ids = new long[workers];
        List<List<List<HistoryEvent>>> perThread = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            List<List<HistoryEvent>> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ts.add(new ArrayList<>());
            }
            perThread.add(ts);
        }
        for (int step = 0; step < 400; step++) {
            int w = rnd.nextInt(workers);
            int t = rnd.nextInt(threads);
            int k = rnd.nextInt(keys);
            String key = "res-" + k;
            List<HistoryEvent> out = perThread.get(w).get(t);
            long c = clock[w][t];
            long enterInvoke = Math.max(c + 1 + rnd.nextInt(50), busyUntil[k] - 20);
            long entered = rnd.nextDouble() < overlapRate ? enterInvoke + 1 : Math.max(enterInvoke + 1,
                    busyUntil[k] + 1 + rnd.nextInt(5));
            long id = ++ids[w];
            out.add(new HistoryEvent("invoke", enterInvoke, w, t, id, "enter", key, List.of(), null));
            double r = rnd.nextDouble();
            String status = r < 0.8 ? "ok" : r < 0.9 ? "fail" : "info";
            out.add(new HistoryEvent(status, entered, w, t, id, null, null, null, ""));
            if (!status.equals("ok")) {
                clock[w][t] = entered;
                continue;
            }
            long exitAt = entered + 1 + rnd.nextInt(30);
            long exitId = ++ids[w];
            out.add(new HistoryEvent("invoke", exitAt, w, t, exitId, "exit", key, List.of(), null));
            out.add(new HistoryEvent("ok", exitAt + 1, w, t, exitId, null, null, null, ""));
            busyUntil[k] = Math.max(busyUntil[k], exitAt);
            clock[w][t] = exitAt + 1;
        }
        int killed = rnd.nextBoolean() ? rnd.nextInt(workers) : -1;
        long killedAt = -1;
        List<List<HistoryEvent>> files = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            List<List<HistoryEvent>> ts = perThread.get(w);
            if (w == killed) {
                long end = ts.stream().flatMap(List::stream).mapToLong(HistoryEvent::t).max().orElse(0);
                killedAt = end / 2 + rnd.nextInt((int) Math.max(1, end / 2));
                long at = killedAt;
                ts.replaceAll(l -> l.stream().filter(e -> e.t() <= at).collect(Collectors.toList()));
            }
            // the threads' lines interleave in the file in any order that keeps each thread's own order
            List<HistoryEvent> file = new ArrayList<>();
            int[] next = new int[threads];
            while (true) {
                List<Integer> open = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    if (next[t] < ts.get(t).size()) {
                        open.add(t);
                    }
                }
                if (open.isEmpty()) {
                    break;
                }
                int t = open.get(rnd.nextInt(open.size()));
                file.add(ts.get(t).get(next[t]++));
            }
            files.add(file);
        }
        return new Generated(files, killed, killedAt);
    }

    private History merged(Generated g, long seed) throws IOException {
        List<Path> paths = new ArrayList<>();
        for (int w = 0; w < g.files().size(); w++) {
            Path f = dir.resolve(seed + "-worker-" + w + ".history.jsonl");
            StringBuilder sb = new StringBuilder();
            for (HistoryEvent e : g.files().get(w)) {
                sb.append(JSON.writeValueAsString(e)).append('\n');
            }
            Files.writeString(f, sb);
            paths.add(f);
        }
        return History.merge(paths);
    }

    /**
     * Feeds the files with random lag between them; a file read to its end is its worker's end. {@code inTurn}: as the
     * campaign reads, every file in turn up to about the same time (a tick, plus a little random lag per file).
     */
    private static LiveFeed feed(Generated g, LiveJudge judge, long seed, boolean inTurn) {
        SplittableRandom rnd = new SplittableRandom(seed * 7 + 1);
        LiveFeed feed = new LiveFeed(judge);
        int[] pos = new int[g.files().size()];
        boolean[] ended = new boolean[pos.length];
        int left = pos.length;
        long tick = 0;
        while (left > 0) {
            tick += 20;
            for (int k = 0; k < pos.length; k++) {
                int w = inTurn ? k : rnd.nextInt(pos.length);
                if (ended[w]) {
                    continue;
                }
                List<HistoryEvent> file = g.files().get(w);
                if (inTurn) {
                    long upTo = tick + rnd.nextInt(20);
                    while (pos[w] < file.size() && file.get(pos[w]).t() <= upTo) {
                        feed.accept(file.get(pos[w]++));
                    }
                } else {
                    int n = 1 + rnd.nextInt(40);
                    for (int i = 0; i < n && pos[w] < file.size(); i++) {
                        feed.accept(file.get(pos[w]++));
                    }
                }
                if (pos[w] == file.size()) {
                    ended[w] = true;
                    left--;
                    feed.workerEnded(w, w == g.killed() ? g.killedAt() : -1);
                }
            }
        }
        return feed;
    }

    @Test
    void liveMutualExclusionGivesThePostRunCheckersVerdictWhateverTheLagBetweenFiles() throws IOException {
        compare(false, 100_000);
    }

    /** As the campaign reads: every file polled in turn, so the window of recent sections per key suffices. */
    @Test
    void liveMutualExclusionWithItsBoundedStateGivesTheSameVerdictWhenFilesAreReadInTurn() throws IOException {
        compare(true, LiveMutualExclusion.RECENT);
    }

    private void compare(boolean roundRobin, int window) throws IOException {
        int violated = 0;
        int clean = 0;
        for (long seed = 1; seed <= 300; seed++) {
            Generated g = generate(seed);
            List<HistoryChecker.Violation> post = new MutualExclusionChecker("enter", "exit").check(merged(g, seed));
            LiveJudge judge = new LiveMutualExclusion("enter", "exit", window);
            HistoryChecker.Violation live = feed(g, judge, seed, roundRobin).violation();
            assertThat(live != null).as("seed %d: post-run %s, live %s", seed, post, live).isEqualTo(!post.isEmpty());
            if (live != null) {
                violated++;
                if (post.size() < 20) { // the checker stops listing at 20
                    assertThat(post).extracting(HistoryChecker.Violation::key).as("seed %d", seed)
                            .contains(live.key());
                }
            } else {
                clean++;
            }
            assertThat(judge.trackedKeys()).isLessThanOrEqualTo(3);
        }
        assertThat(violated).as("histories with an overlap").isGreaterThan(30);
        assertThat(clean).as("histories without").isGreaterThan(30);
    }

    @Test
    void liveMutualExclusionReportsAnOverlapBeforeTheLaterSectionIsRead() {
        LiveFeed feed = new LiveFeed(new LiveMutualExclusion("enter", "exit"));
        feed.accept(new HistoryEvent("invoke", 10, 0, 0, 1, "enter", "r", List.of(), null));
        feed.accept(new HistoryEvent("ok", 20, 0, 0, 1, null, null, null, "")); // A inside from 20
        feed.accept(new HistoryEvent("invoke", 15, 1, 0, 1, "enter", "r", List.of(), null));
        feed.accept(new HistoryEvent("ok", 30, 1, 0, 1, null, null, null, "")); // B inside from 30
        assertThat(feed.violation()).isNull(); // A may have exited before 30: not certain yet
        feed.accept(new HistoryEvent("invoke", 31, 0, 0, 2, "increment", "r", List.of(), null)); // A still inside
        assertThat(feed.violation()).isNotNull();
        assertThat(feed.violation().describe()).contains("w1/t0 entered while w0/t0 was still inside");
    }

    private static HistoryEvent inv(long t, int w, int p, long id, String op, String key) {
        return new HistoryEvent("invoke", t, w, p, id, op, key, List.of(), null);
    }

    private static HistoryEvent done(String type, long t, int w, int p, long id, String result) {
        return new HistoryEvent(type, t, w, p, id, null, null, null, result);
    }

    @Test
    void liveReclaimReportsADeadOwnersLockStillRefusedAfterItsLeaseAndNotAReclaimedOne() {
        Duration lease = Duration.ofNanos(100);
        for (boolean reclaimedByThirdWorker : new boolean[] {false, true}) {
            LiveFeed feed = new LiveFeed(new LiveReclaim("acquire", "release", "held", lease, lease, 3, 1));
            feed.accept(inv(10, 0, 0, 1, "acquire", "r"));
            feed.accept(done("ok", 11, 0, 0, 1, "1"));
            feed.workerEnded(0, 50); // killed at 50 holding r: refusals from 250 on are violations
            feed.accept(inv(100, 1, 0, 1, "acquire", "r"));
            feed.accept(done("fail", 101, 1, 0, 1, "held")); // within the lease: fine
            if (reclaimedByThirdWorker) {
                feed.accept(inv(300, 2, 0, 1, "acquire", "r"));
                feed.accept(done("ok", 305, 2, 0, 1, "2"));
            }
            feed.accept(inv(310, 1, 0, 2, "acquire", "r"));
            feed.accept(done("fail", 311, 1, 0, 2, "held"));
            assertThat(feed.violation()).as("worker 2's thread not yet read past the refusal").isNull();
            feed.accept(inv(400, 2, 0, 3, "acquire", "s"));
            if (reclaimedByThirdWorker) {
                assertThat(feed.violation()).isNull();
            } else {
                assertThat(feed.violation()).isNotNull();
                assertThat(feed.violation().checker()).isEqualTo("reclaim-after-expiry");
                assertThat(feed.violation().message()).contains("killed worker 0");
            }
        }
    }

    @Test
    void liveSameResponseReportsASecondDifferentAnswerOfAKeyWithinItsWindow() {
        LiveFeed feed = new LiveFeed(new LiveSameResponse("request", 2));
        feed.accept(inv(1, 0, 0, 1, "request", "key-1"));
        feed.accept(done("ok", 2, 0, 0, 1, "201 agent 7"));
        feed.accept(inv(3, 1, 0, 1, "request", "key-1"));
        feed.accept(done("ok", 4, 1, 0, 1, "201 agent 7"));
        assertThat(feed.violation()).isNull();
        feed.accept(inv(5, 1, 0, 2, "request", "key-1"));
        feed.accept(done("ok", 6, 1, 0, 2, "201 agent 8"));
        assertThat(feed.violation()).isNotNull();
        assertThat(feed.violation().message()).isEqualTo("2 different responses [201 agent 7, 201 agent 8]");
        assertThat(feed.judge().trackedKeys()).isEqualTo(1);
    }

    @Test
    void liveUnwrittenReadReportsAReadNoWriteCouldHaveWrittenAsThePostRunLinearizabilityCheckDoes() {
        java.util.function.Predicate<String> whole = v -> v.equals("init") || v.matches("(w\\d)-a,\\1-b");
        LiveFeed feed = new LiveFeed(new LiveUnwrittenRead("readers-see-whole-sets", "read", whole));
        List<HistoryEvent> events = List.of(
                new HistoryEvent("invoke", 1, 0, 0, 1, "write", "s", List.of("w1-a,w1-b"), null),
                done("ok", 2, 0, 0, 1, ""),
                inv(3, 1, 0, 1, "read", "s"), done("ok", 4, 1, 0, 1, "w1-a,w1-b"),
                new HistoryEvent("invoke", 5, 0, 0, 2, "write", "s", List.of("w2-a,w2-b"), null),
                inv(6, 1, 0, 2, "read", "s"), done("ok", 7, 1, 0, 2, "w1-a,w1-b,w2-a,w2-b"), // the union: torn
                done("ok", 8, 0, 0, 2, ""));
        List<Op> ops = new ArrayList<>();
        java.util.Map<Long, HistoryEvent> open = new java.util.HashMap<>();
        for (HistoryEvent e : events) {
            feed.accept(e);
            if (e.isInvoke()) {
                open.put(((long) e.w() << 40) ^ e.id(), e);
            } else {
                HistoryEvent i = open.remove(((long) e.w() << 40) ^ e.id());
                ops.add(new Op(i.w(), i.p(), i.id(), i.op(), i.key(), i.args(), i.t(), e.t(), Op.Status.OK,
                        e.result()));
            }
            if (e.t() == 4) {
                assertThat(feed.violation()).as("a whole set read back is no violation").isNull();
            }
        }
        assertThat(feed.violation()).isNotNull();
        assertThat(feed.violation().checker()).isEqualTo("readers-see-whole-sets");
        assertThat(feed.violation().message()).contains("w1-a,w1-b,w2-a,w2-b");
        assertThat(new LinearizabilityChecker<>(new RegisterModel("init")).check(new History(ops)).linearizable())
                .as("the post-run checker rejects the same history").isFalse();
    }
}
