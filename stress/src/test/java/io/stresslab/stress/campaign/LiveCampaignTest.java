package io.stresslab.stress.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stresslab.stress.history.LiveMutualExclusion;
import io.stresslab.stress.history.MutualExclusionChecker;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A campaign with a live judge stops at the first violation; without one to see, it runs its full duration. */
class LiveCampaignTest {
    @TempDir
    Path dir;

    private CampaignSpec.Builder spec(String name) {
        return CampaignSpec.builder(name, EngineWorkloads.Sections.class).workers(2).threadsPerWorker(1).seed(11)
                .workDir(dir).duration(Duration.ofSeconds(20)).deadline(Duration.ofSeconds(60))
                .liveJudge(() -> new LiveMutualExclusion("enter", "exit"));
    }

    @Test
    void overlappingSectionsStopTheRunAtTheFirstViolation() {
        CampaignResult r = Campaign.run(spec("live-overlap").build());
        assertThat(r.liveViolation()).as(r.describe()).isNotNull();
        assertThat(r.liveViolation().checker()).isEqualTo("mutual-exclusion");
        assertThat(r.detectedAfter()).isLessThan(Duration.ofSeconds(5));
        assertThat(r.run()).isLessThan(Duration.ofSeconds(10));
        assertThat(r.workers()).extracting(WorkerOutcome::status)
                .contains(WorkerOutcome.Status.STOPPED_AT_VIOLATION)
                .isSubsetOf(WorkerOutcome.Status.STOPPED_AT_VIOLATION, WorkerOutcome.Status.OK);
        assertThat(r.allWorkersHealthy()).isTrue();
        // the post-run judge sees it too: it was written before it was read
        assertThat(new MutualExclusionChecker("enter", "exit").check(r.history())).isNotEmpty();
        assertThat(r.operations()).isEqualTo(r.history().size());
    }

    @Test
    void aCorrectRunRunsItsFullDurationAndStreamingSkipsTheMerge() {
        CampaignResult r = Campaign.run(spec("live-clean").duration(Duration.ofMillis(1500))
                .param("ownKey", 1).streaming(true).build());
        assertThat(r.liveViolation()).as(r.describe()).isNull();
        assertThat(r.detectedAfter()).isNull();
        assertThat(r.run()).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(r.workers()).extracting(WorkerOutcome::status).containsOnly(WorkerOutcome.Status.OK);
        assertThat(r.history().size()).isZero(); // streamed: never merged
        assertThat(r.operations()).isGreaterThan(100);
        assertThat(r.mergedHistory()).isEqualTo(r.dir());
    }
}
