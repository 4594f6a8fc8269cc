package io.stresslab.stress.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryRecorderTest {
    @TempDir
    Path dir;

    @Test
    void mergeSortsWorkersTurnsOpenInvokesIntoInfoAndDropsATornLastLine() throws Exception {
        Path a = dir.resolve("w0.jsonl");
        Path b = dir.resolve("w1.jsonl");
        try (HistoryRecorder r0 = HistoryRecorder.open(a, 0); HistoryRecorder r1 = HistoryRecorder.open(b, 1)) {
            HistoryRecorder.Pending w = r0.invoke("write", "k", "1");
            HistoryRecorder.Pending read = r1.invoke("read", "k");
            w.ok(null);
            read.ok("1");
            r1.invoke("cas", "k", "1", "2"); // in flight when the worker "dies"
            r0.invoke("write", "k", "3").fail("rolled back");
        }
        // a kill -9 in the middle of a write leaves half a line
        Files.writeString(b, "{\"type\":\"ok\",\"t\":12", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        History h = History.merge(List.of(a, b));
        assertThat(h.ops()).extracting(Op::name).containsExactly("write", "read", "cas", "write");
        assertThat(h.ops()).extracting(Op::status)
                .containsExactly(Op.Status.OK, Op.Status.OK, Op.Status.INFO, Op.Status.FAIL);
        Op cas = h.ops().get(2);
        assertThat(cas.completeNanos()).isEqualTo(Op.NEVER);
        assertThat(cas.args()).containsExactly("1", "2");
        assertThat(h.ops().get(1).result()).isEqualTo("1");

        Path merged = dir.resolve("merged.jsonl");
        h.write(merged);
        assertThat(History.read(merged).ops()).isEqualTo(h.ops());
    }

    @Test
    void aCorruptLineInTheMiddleFails() throws Exception {
        Path a = dir.resolve("w0.jsonl");
        Files.writeString(a, "{\"type\":\"invoke\"\nnot json\n{\"type\":\"invoke\",\"t\":1,\"w\":0,\"p\":0,\"id\":1,"
                + "\"op\":\"read\",\"key\":\"k\"}\n");
        assertThatThrownBy(() -> History.merge(List.of(a))).hasMessageContaining("corrupt line 1");
    }

    @Test
    void completingTwiceIsRejected() {
        try (HistoryRecorder r = HistoryRecorder.open(dir.resolve("w.jsonl"), 0)) {
            HistoryRecorder.Pending p = r.invoke("read", "k");
            p.ok("0");
            assertThatThrownBy(() -> p.info("late")).isInstanceOf(IllegalStateException.class);
        }
    }
}
