package io.stresslab.stress.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stresslab.stress.history.History;
import io.stresslab.stress.history.HistoryFiles;
import io.stresslab.stress.history.HistoryRecorder;
import io.stresslab.stress.history.Op;
import io.stresslab.stress.history.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stresslab check}: every exit code, on files written by the campaign recorders and by hand. */
class CheckCommandTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path hand(String name, String... lines) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    /** Two worker files and their merge, written by the same recorder and merge code a campaign runs. */
    private Path campaignFiles(boolean stale) {
        Path w0 = dir.resolve("worker-0.history.jsonl");
        Path w1 = dir.resolve("worker-1.history.jsonl");
        try (HistoryRecorder a = HistoryRecorder.open(w0, 0); HistoryRecorder b = HistoryRecorder.open(w1, 1)) {
            for (int i = 1; i <= 50; i++) {
                String key = "k" + (i % 3);
                a.invoke("write", key, Integer.toString(i)).ok(null);
                b.invoke("read", key).ok(stale && i == 40 ? "0" : Integer.toString(i));
            }
            a.invoke("write", "k0", "99"); // in flight when the worker was killed
        }
        Path merged = dir.resolve("history.jsonl");
        History.merge(List.of(w0, w1)).write(merged);
        return merged;
    }

    @Test
    void exitZeroForALinearizableCampaignHistory() {
        Path merged = campaignFiles(false);
        CliRun r = run("check", merged.toString(), "--model", "register", "--initial", "\"0\"");
        assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).startsWith(merged + ": LINEARIZABLE — 101 ops over 3 keys");
        assertThat(r.stderr()).isEmpty();
        // a worker's own event file reads too
        CliRun w = run("check", dir.resolve("worker-0.history.jsonl").toString(), "--model", "register");
        assertThat(w.exit()).as(w.stdout() + w.stderr()).isZero();
    }

    @Test
    void exitOneWithTheMinimalExplanationAndATimeline() throws Exception {
        Path merged = campaignFiles(true);
        Path timelines = dir.resolve("timelines");
        CliRun r = run("check", merged.toString(), "--model", "cas-register", "--initial", "\"0\"", "--timeline",
                timelines.toString());
        assertThat(r.exit()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stdout()).contains("NOT LINEARIZABLE").contains("key 'k1'")
                .contains("longest linearizable prefix:").contains("none of these can take effect next:")
                .contains("read(k1) -> 0   [" + merged + ":");
        Path page = timelines.resolve("timeline-k1.html");
        assertThat(r.stdout()).contains("timeline: " + page);
        assertThat(Files.readString(page)).contains("<svg").contains("failing window").contains("read")
                .doesNotContain("<script");

        Path byHand = hand("stale.jsonl",
                "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"x\",\"value\":1}",
                "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":\"x\",\"value\":1}",
                "{\"process\":1,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"x\"}",
                "{\"process\":1,\"type\":\"ok\",\"f\":\"read\",\"key\":\"x\",\"value\":null}");
        CliRun j = run("check", byHand.toString(), "--model", "register", "--json");
        assertThat(j.exit()).isEqualTo(1);
        JsonNode doc = new ObjectMapper().readTree(j.stdout());
        assertThat(doc.get("verdict").asText()).isEqualTo("NOT_LINEARIZABLE");
        JsonNode bad = doc.get("files").get(0).get("notLinearizable");
        assertThat(bad.get("key").asText()).isEqualTo("x");
        assertThat(bad.get("longestPrefix").get(0).asText()).contains("write(x, 1)");
        assertThat(bad.get("cannotGoNext").get(0).asText()).contains("read(x) -> nil").contains("stale.jsonl:3");
    }

    @Test
    void exitThreeNamesTheUndecidedKeysAndHowFarEachGot() throws Exception {
        List<Op> ops = new ArrayList<>();
        for (int w = 0; w < 28; w++) {
            ops.add(new Op(w, 0, w + 1, "write", "hard", Value.of(w), w, Op.NEVER, Op.Status.INFO, Value.UNKNOWN));
        }
        long t = 1_000;
        for (int v = 27; v >= 20; v--) {
            ops.add(new Op(100, 0, 200 + v, "read", "hard", Value.NIL, t, t + 5, Op.Status.OK, Value.of(v)));
            t += 10;
        }
        ops.add(new Op(100, 0, 999, "read", "hard", Value.NIL, t, t + 5, Op.Status.OK, Value.of(999)));
        ops.add(new Op(101, 0, 1000, "write", "easy", Value.of(1), 0, 5, Op.Status.OK, Value.NIL));
        Path f = dir.resolve("hard.jsonl");
        HistoryFiles.writeEvents(new History(ops), f);
        CliRun r = run("check", f.toString(), "--model", "register", "--budget", "1s", "--threads", "2");
        assertThat(r.exit()).as(r.stdout() + r.stderr()).isEqualTo(3);
        assertThat(r.stdout()).contains("UNKNOWN").contains("1 key(s) undecided")
                .containsPattern("key 'hard': the total budget of 1 s ran out; linearized prefix \\d+ of 37 ops "
                        + "after [\\d,]+ steps, [\\d,]+ states");
        CliRun j = run("check", f.toString(), "--model", "register", "--budget", "2s", "--key-budget", "500ms",
                "--json");
        assertThat(j.exit()).isEqualTo(3);
        JsonNode u = new ObjectMapper().readTree(j.stdout()).get("files").get(0).get("undecided").get(0);
        assertThat(u.get("key").asText()).isEqualTo("hard");
        assertThat(u.get("reason").asText()).contains("key budget of 500 ms");
        assertThat(u.get("steps").asLong()).isPositive();
    }

    @Test
    void exitTwoOnAMalformedFileNamesFileAndLine() throws Exception {
        Path broken = hand("broken.jsonl",
                "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"x\",\"value\":1}",
                "{\"process\":0,\"type\":\"ok\",\"f\":\"write\"",
                "{\"process\":1,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"x\"}");
        assertBadInput(run("check", broken.toString(), "--model", "register"), broken + ":2: not JSON");

        Path cas = hand("cas.jsonl",
                "{\"process\":0,\"type\":\"invoke\",\"f\":\"cas\",\"key\":\"x\",\"value\":[null,1]}",
                "{\"process\":0,\"type\":\"ok\",\"f\":\"cas\",\"key\":\"x\",\"value\":\"maybe\"}");
        assertBadInput(run("check", cas.toString(), "--model", "cas-register"),
                cas + ":1: cas result must be true or false, got maybe");

        Path edn = hand("history.edn", "{:process 0, :type :invoke, :f :read, :value nil}", "{:process 0 :type");
        assertBadInput(run("check", edn.toString(), "--model", "register"), edn + ":2: not EDN");

        assertBadInput(run("check", dir.resolve("nope.jsonl").toString(), "--model", "register"),
                dir.resolve("nope.jsonl") + ": no such file");
    }

    @Test
    void exitTwoOnABadOption() throws Exception {
        Path f = hand("ok.jsonl", "{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"x\"}",
                "{\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"key\":\"x\",\"value\":null}");
        assertBadInput(run("check", f.toString(), "--model", "btree"), "unknown model 'btree'");
        assertBadInput(run("check", f.toString()), "Missing required option");
        assertBadInput(run("check", f.toString(), "--model", "register", "--budget", "soon"), "soon");
        assertBadInput(run("check", f.toString(), "--model", "register", "--threads", "0"), "--threads");
        assertBadInput(run("check", f.toString(), "--model", "register", "--initial", "{oops"), "--initial");
        assertBadInput(run("check", f.toString(), "--model", "register", "--timeline", f.toString()), "--timeline");
        assertBadInput(run("check", "--model", "register"), "Missing required parameter");
        assertThat(run("check", f.toString(), "--model", "register").exit()).isZero();
    }

    @Test
    void jepsenEdnFromTheCommandLine() throws Exception {
        Path f = hand("history.edn",
                "{:process 0, :type :invoke, :f :write, :value [\"a\" 3]}",
                "{:process 0, :type :ok, :f :write, :value [\"a\" 3]}",
                "{:process 1, :type :invoke, :f :read, :value [\"a\" nil]}",
                "{:process 1, :type :ok, :f :read, :value [\"a\" 4]}");
        CliRun r = run("check", f.toString(), "--model", "kv");
        assertThat(r.exit()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stdout()).contains("key 'a'").contains("read(a) -> 4");
    }

    private static void assertBadInput(CliRun r, String expected) {
        assertThat(r.exit()).as(r.stdout() + r.stderr()).isEqualTo(2);
        assertThat(r.stderr().strip().lines().count()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("stresslab: ").contains(expected).doesNotContain("Exception", "\tat ");
        assertThat(r.stdout()).isEmpty();
    }
}
