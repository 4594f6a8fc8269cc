package io.stresslab.stress.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stresslab.stress.history.HistoryEvent;
import io.stresslab.stress.history.HistoryFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTailTest {
    @TempDir
    Path dir;

    private static String invoke(int w, long id, long t) {
        return "{\"type\":\"invoke\",\"t\":" + t + ",\"w\":" + w + ",\"p\":0,\"id\":" + id
                + ",\"op\":\"enter\",\"key\":\"k\",\"args\":[]}\n";
    }

    private static String ok(int w, long id, long t) {
        return "{\"type\":\"ok\",\"t\":" + t + ",\"w\":" + w + ",\"p\":0,\"id\":" + id + ",\"result\":\"\"}\n";
    }

    private static void append(Path f, String s) throws IOException {
        Files.writeString(f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void readsOnlyCompleteLinesAndKeepsAPartialLastLineForTheNextPoll() throws IOException {
        Path a = dir.resolve("worker-0.history.jsonl");
        Path b = dir.resolve("worker-1.history.jsonl"); // created later
        List<HistoryEvent> seen = new ArrayList<>();
        try (HistoryTail tail = new HistoryTail(List.of(a, b))) {
            assertThat(tail.poll(seen::add)).isZero(); // neither file exists yet
            String line2 = ok(0, 1, 20);
            append(a, invoke(0, 1, 10) + line2.substring(0, 17));
            assertThat(tail.poll(seen::add)).isEqualTo(1);
            assertThat(tail.pendingBytes(0)).isEqualTo(17);
            append(b, invoke(1, 1, 15));
            append(a, line2.substring(17, 30));
            assertThat(tail.poll(seen::add)).isEqualTo(1); // b's line; a's still partial
            append(a, line2.substring(30) + invoke(0, 2, 30));
            assertThat(tail.poll(seen::add)).isEqualTo(2);
            assertThat(tail.pendingBytes(0)).isZero();
            assertThat(tail.poll(seen::add)).isZero(); // nothing new
        }
        assertThat(seen).extracting(HistoryEvent::w, HistoryEvent::type, HistoryEvent::t)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, "invoke", 10L),
                        org.assertj.core.groups.Tuple.tuple(1, "invoke", 15L),
                        org.assertj.core.groups.Tuple.tuple(0, "ok", 20L),
                        org.assertj.core.groups.Tuple.tuple(0, "invoke", 30L));
        assertThat(seen.get(0).op()).isEqualTo("enter");
    }

    @Test
    void aLineLongerThanOneReadChunkIsJoined() throws IOException {
        Path a = dir.resolve("worker-0.history.jsonl");
        String big = "x".repeat(200_000);
        append(a, invoke(0, 1, 10).replace("\"args\":[]", "\"args\":[\"" + big + "\"]"));
        List<HistoryEvent> seen = new ArrayList<>();
        try (HistoryTail tail = new HistoryTail(List.of(a))) {
            assertThat(tail.poll(seen::add)).isEqualTo(1);
        }
        assertThat(seen.get(0).args()).containsExactly(big);
    }

    @Test
    void aTornLastLineOfAnEndedWorkerIsDroppedButCorruptionInTheMiddleFails() throws IOException {
        Path a = dir.resolve("worker-0.history.jsonl");
        append(a, invoke(0, 1, 10) + "{\"type\":\"ok\",\"t\":2");
        List<HistoryEvent> seen = new ArrayList<>();
        try (HistoryTail tail = new HistoryTail(List.of(a))) {
            assertThat(tail.finish(0, seen::add)).isEqualTo(1);
        }
        Path c = dir.resolve("worker-1.history.jsonl");
        append(c, "not json\n" + invoke(1, 1, 10));
        try (HistoryTail tail = new HistoryTail(List.of(c))) {
            assertThatThrownBy(() -> tail.poll(seen::add)).isInstanceOf(HistoryFormatException.class)
                    .hasMessageContaining("worker-1.history.jsonl:1");
        }
    }
}
