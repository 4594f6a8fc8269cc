package io.stresslab.stress.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stresslab.stress.history.LinearizabilityChecker.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public event format, the campaign formats and Jepsen's EDN: reading, writing, and strict errors. */
class HistoryFilesTest {
    @TempDir
    Path dir;

    private Path file(String name, String... lines) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    private static Verdict check(Model<?> model, History h) {
        return new LinearizabilityChecker<>(model).check(h).verdict();
    }

    @Test
    void theBuilderNeedsNoFilesAndTypesItsValues() {
        History h = History.builder()
                .invoke(0, "write", "x", Value.of(1)).invoke(1, "read", "x", Value.NIL)
                .ok(0, Value.NIL).ok(1, Value.NIL)
                .invoke(2, "cas", "x", Value.tuple(Value.of(1), Value.of(2)))
                .build();
        assertThat(h.ops()).hasSize(3);
        Op read = h.named("read").get(0);
        assertThat(read.output()).isEqualTo(Value.NIL);
        assertThat(read.result()).isNull();
        Op cas = h.named("cas").get(0);
        assertThat(cas.status()).isEqualTo(Op.Status.INFO);
        assertThat(cas.output().isUnknown()).isTrue();
        assertThat(cas.args()).containsExactly("1", "2");
        // the read saw nil, concurrent with the write: linearizable before it
        assertThat(check(RegisterModel.casRegister(Value.NIL), h)).isEqualTo(Verdict.LINEARIZABLE);
        // integers and their text differ
        assertThat(Value.of(3)).isNotEqualTo(Value.of("3"));
    }

    @Test
    void theBuilderRejectsEventsThatDoNotPair() {
        assertThatThrownBy(() -> History.builder().ok(0, Value.NIL))
                .isInstanceOf(HistoryFormatException.class).hasMessageContaining("never invoked");
        assertThatThrownBy(() -> History.builder().invoke(0, "read", "x", Value.NIL).invoke(0, "read", "x", Value.NIL))
                .isInstanceOf(HistoryFormatException.class).hasMessageContaining("has not completed");
    }

    @Test
    void publicFormatRoundTripsAndIsChecked() throws Exception {
        Path f = file("h.jsonl",
                "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"x\",\"value\":1,\"time\":0}",
                "{\"process\":1,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"x\",\"value\":null,\"time\":5}",
                "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":\"x\",\"value\":1,\"time\":10}",
                "{\"process\":1,\"type\":\"ok\",\"f\":\"read\",\"key\":\"x\",\"value\":1,\"time\":15}",
                "{\"process\":1,\"type\":\"invoke\",\"f\":\"cas\",\"key\":\"x\",\"value\":[1,2],\"time\":20}",
                "{\"process\":1,\"type\":\"ok\",\"f\":\"cas\",\"key\":\"x\",\"value\":true,\"time\":25}",
                "{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"x\",\"time\":30}",
                "{\"process\":0,\"type\":\"info\",\"f\":\"read\",\"key\":\"x\",\"time\":35}");
        History h = HistoryFiles.read(f);
        assertThat(h.ops()).extracting(Op::name).containsExactly("write", "read", "cas", "read");
        assertThat(h.ops().get(2).input()).isEqualTo(Value.tuple(Value.of(1), Value.of(2)));
        assertThat(h.ops().get(2).output()).isEqualTo(Value.of(true));
        assertThat(h.origin(h.ops().get(2))).isEqualTo(f + ":5");
        assertThat(check(RegisterModel.casRegister(Value.NIL), h)).isEqualTo(Verdict.LINEARIZABLE);

        Path again = dir.resolve("again.jsonl");
        HistoryFiles.writeEvents(h, again);
        History back = HistoryFiles.read(again);
        assertThat(back.ops()).extracting(Op::name, Op::key, Op::input, Op::output, Op::status)
                .containsExactlyElementsOf(h.ops().stream().map(o -> org.assertj.core.groups.Tuple.tuple(o.name(),
                        o.key(), o.input(), o.output(), o.status())).toList());
    }

    @Test
    void timesAreOptionalTheLineOrderIsThenRealTime() throws Exception {
        Path f = file("untimed.jsonl",
                "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":1}",
                "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"value\":1}",
                "{\"process\":1,\"type\":\"invoke\",\"f\":\"read\"}",
                "{\"process\":1,\"type\":\"ok\",\"f\":\"read\",\"value\":null}");
        assertThat(check(RegisterModel.readWrite(Value.NIL), HistoryFiles.read(f)))
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void anUnrecognisedCasResultIsAnErrorNamingItsLineNeverASilentFalse() throws Exception {
        Path f = file("cas.jsonl",
                "{\"process\":0,\"type\":\"invoke\",\"f\":\"cas\",\"key\":\"x\",\"value\":[null,2]}",
                "{\"process\":0,\"type\":\"ok\",\"f\":\"cas\",\"key\":\"x\",\"value\":\"yes\"}");
        History h = HistoryFiles.read(f);
        assertThatThrownBy(() -> new LinearizabilityChecker<>(RegisterModel.casRegister(Value.NIL)).check(h))
                .isInstanceOf(HistoryFormatException.class)
                .hasMessage(f + ":1: cas result must be true or false, got yes");
    }

    @Test
    void malformedLinesAreErrorsNamingTheLine() throws Exception {
        String ok = "{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"x\"}";
        assertThatThrownBy(() -> HistoryFiles.read(file("a.jsonl", ok, "{not json")))
                .hasMessageStartingWith(dir.resolve("a.jsonl") + ":2: not JSON");
        assertThatThrownBy(() -> HistoryFiles.read(file("b.jsonl", ok,
                "{\"process\":0,\"type\":\"done\",\"f\":\"read\"}")))
                .hasMessage(dir.resolve("b.jsonl") + ":2: unknown type 'done' (expected invoke, ok, fail or info)");
        assertThatThrownBy(() -> HistoryFiles.read(file("c.jsonl",
                "{\"process\":3,\"type\":\"ok\",\"f\":\"read\",\"value\":1}")))
                .hasMessage(dir.resolve("c.jsonl") + ":1: process 3 completes an operation it never invoked");
        assertThatThrownBy(() -> HistoryFiles.read(file("d.jsonl", ok,
                "{\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"key\":\"x\",\"value\":1.5}")))
                .hasMessageStartingWith(dir.resolve("d.jsonl") + ":2: unsupported value 1.5");
        assertThatThrownBy(() -> HistoryFiles.read(file("e.jsonl", ok,
                "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":\"x\",\"value\":1}")))
                .hasMessageStartingWith(dir.resolve("e.jsonl") + ":2: completes write");
        assertThatThrownBy(() -> HistoryFiles.read(dir.resolve("missing.jsonl")))
                .hasMessage(dir.resolve("missing.jsonl") + ": no such file");
        // an ok read without a value is not silently a read of nil
        History h = HistoryFiles.read(file("f.jsonl", ok, "{\"process\":0,\"type\":\"ok\",\"f\":\"read\"}"));
        assertThatThrownBy(() -> new LinearizabilityChecker<>(RegisterModel.readWrite(Value.NIL)).check(h))
                .hasMessage(dir.resolve("f.jsonl") + ":1: read completed ok without a value");
    }

    @Test
    void campaignFilesStayReadable() throws Exception {
        Path w0 = dir.resolve("w0.jsonl");
        try (HistoryRecorder r = HistoryRecorder.open(w0, 0)) {
            r.invoke("write", "k", "1").ok(null);
            r.invoke("read", "k").ok("1");
            r.invoke("cas", "k", "1", "2").ok("true");
        }
        History fromWorker = HistoryFiles.read(w0);
        assertThat(fromWorker.size()).isEqualTo(3);
        History merged = History.merge(List.of(w0));
        Path m = dir.resolve("history.jsonl");
        merged.write(m);
        History back = HistoryFiles.read(m);
        assertThat(back.ops()).isEqualTo(merged.ops());
        assertThat(check(new RegisterModel("0"), back)).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(back.origin(back.ops().get(1))).isEqualTo(m + ":2");
    }

    @Test
    void jepsenEdnIsRead() throws Exception {
        Path f = file("history.edn",
                "{:process 0, :type :invoke, :f :write, :value 3, :time 10}",
                "{:process 1, :type :invoke, :f :read, :value nil, :time 20}",
                "{:process 0, :type :ok, :f :write, :value 3, :time 30}",
                "{:process 1, :type :ok, :f :read, :value 3, :time 40}",
                "{:process :nemesis, :type :info, :f :start, :value nil, :time 45}",
                "{:process 0, :type :invoke, :f :cas, :value [3 4], :time 50}",
                "{:process 0, :type :ok, :f :cas, :value [3 4], :time 60}",
                "{:process 1, :type :invoke, :f :cas, :value [3 5], :time 70}",
                "{:process 1, :type :fail, :f :cas, :value [3 5], :time 80}",
                "{:process 0, :type :invoke, :f :read, :value nil, :time 90}",
                "{:process 0, :type :ok, :f :read, :value 4, :time 100}");
        History h = HistoryFiles.read(f);
        assertThat(h.ops()).extracting(Op::name).containsExactly("write", "read", "cas", "cas", "read");
        assertThat(h.named("cas").get(0).output()).isEqualTo(Value.of(true));
        assertThat(check(RegisterModel.casRegister(Value.NIL), h)).isEqualTo(Verdict.LINEARIZABLE);
        Files.writeString(f, Files.readString(f).replace(":value 4, :time 100", ":value 5, :time 100"));
        assertThat(check(RegisterModel.casRegister(Value.NIL), HistoryFiles.read(f)))
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aVectorOfOpsWithCommentsAsKnossosKeepsThemStillNamesLines() throws Exception {
        Path f = file("knossos-style.edn",
                "[{:type :invoke, :f :write, :value 0, :process 0}",
                " {:type :ok, :f :write, :value 0, :process 0}",
                " ; 0 is written; then a read of 3, concurrent with a write of 4",
                " {:type :invoke, :f :read, :value nil, :process 1}",
                " {:type :invoke, :f :write, :value 4, :process 2}",
                " {:type :ok, :f :read, :value 3, :process 1}",
                " {:type :ok, :f :write, :value 4, :process 2}]");
        History h = HistoryFiles.read(f);
        assertThat(h.size()).isEqualTo(3);
        assertThat(h.origin(h.named("read").get(0))).isEqualTo(f + ":4");
        LinearizabilityChecker.Result r = new LinearizabilityChecker<>(RegisterModel.casRegister(Value.NIL)).check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.notLinearizable().get(0).notLinearizable()).extracting(Op::name).contains("read");
        // laid out over several lines per op, it is read whole
        Path g = file("pretty.edn", "[{:type :invoke, :f :write,", "  :value 0, :process 0}", " {:type :ok,",
                "  :f :write, :value 0, :process 0}]");
        assertThat(HistoryFiles.read(g).size()).isEqualTo(1);
    }

    @Test
    void jepsenIndependentTuplesSplitByKey() throws Exception {
        Path f = file("kv.edn",
                "{:process 0, :type :invoke, :f :write, :value [\"a\" 1]}",
                "{:process 0, :type :ok, :f :write, :value [\"a\" 1]}",
                "{:process 1, :type :invoke, :f :read, :value [\"b\" nil]}",
                "{:process 1, :type :ok, :f :read, :value [\"b\" nil]}",
                "{:process 1, :type :invoke, :f :read, :value [\"a\" nil]}",
                "{:process 1, :type :ok, :f :read, :value [\"a\" 1]}");
        History h = HistoryFiles.read(f, true);
        assertThat(h.byKey()).containsOnlyKeys("a", "b");
        assertThat(check(new KvModel(), h)).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void malformedEdnNamesTheLine() throws Exception {
        Path f = file("bad.edn", "{:process 0, :type :invoke, :f :read, :value nil}", "{:process 0, :type :ok, :f");
        assertThatThrownBy(() -> HistoryFiles.read(f)).isInstanceOf(HistoryFormatException.class)
                .hasMessageStartingWith(f + ":2: not EDN");
    }
}
