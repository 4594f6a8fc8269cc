package io.stresslab.stress.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.stresslab.stress.history.LinearizabilityChecker.KeyResult;
import io.stresslab.stress.history.LinearizabilityChecker.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timeline page: self-contained, escaped, and cut to the failing window on long histories. */
class TimelineTest {
    @TempDir
    Path dir;

    @Test
    void aHostileKeyAndValueAreEscapedAndThePageIsSelfContained() throws Exception {
        String nasty = "<script>alert('x')</script>&\"";
        History h = History.builder().invoke(0, "write", nasty, Value.of(nasty)).ok(0, Value.NIL)
                .invoke(1, "read", nasty, Value.NIL).ok(1, Value.of("other")).build();
        KeyResult bad = new LinearizabilityChecker<>(RegisterModel.readWrite(Value.NIL)).check(h).notLinearizable()
                .get(0);
        Path page = Timeline.write(dir, "t", bad, h.ops(), h::origin);
        String html = Files.readString(page);
        assertThat(page.getFileName().toString()).doesNotContain("<", ">", "'", "\"").endsWith(".html");
        assertThat(html).doesNotContain("<script").contains("&lt;script&gt;")
                .doesNotContainPattern("(?i)(src|href)\\s*=").doesNotContainPattern("(?i)@import|url\\(http");
    }

    @Test
    void aLongHistoryIsCutToTheOpsAroundTheFailingWindow() {
        List<Op> ops = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < 3_000; i++) {
            ops.add(new Op(i % 3, 0, i, "write", "k", Value.of(i), t, t + 5, Op.Status.OK, Value.NIL));
            t += 10;
        }
        ops.add(new Op(9, 0, 99_999, "read", "k", Value.NIL, t + 10, t + 20, Op.Status.OK, Value.of(-1)));
        KeyResult bad = new LinearizabilityChecker<>(RegisterModel.readWrite(Value.NIL)).checkKey("k", ops);
        assertThat(bad.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        String html = Timeline.html("long", bad, ops, null);
        assertThat(html).contains("Showing ").contains(" of 3001 operations").contains("read → -1")
                .contains("failing window");
        assertThat(html.split("<g class=\"op").length - 1).isLessThanOrEqualTo(401);
    }
}
