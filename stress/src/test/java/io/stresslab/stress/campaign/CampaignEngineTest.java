package io.stresslab.stress.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stresslab.core.db.DbConfig;

import io.stresslab.stress.history.Op;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's own paths with database-free workloads: kill -9, a failing worker, a hanging worker. */
class CampaignEngineTest {
    @TempDir
    Path dir;

    private CampaignSpec.Builder spec(String name, Class<? extends Workload> w) {
        return CampaignSpec.builder(name, w).workers(2).seed(7).workDir(dir);
    }

    @Test
    void killedWorkersInFlightOpsBecomeInfoAndOthersFinish() {
        CampaignResult r = Campaign.run(spec("kill", EngineWorkloads.Steady.class).threadsPerWorker(2)
                .duration(Duration.ofMillis(1500)).killWorkers(1).build());
        System.out.println("stresslab campaign: " + r.describe());
        assertThat(r.allWorkersHealthy()).as(String.join("; ", r.unhealthyWorkers())).isTrue();
        assertThat(r.workers()).extracting(WorkerOutcome::status)
                .containsExactlyInAnyOrder(WorkerOutcome.Status.OK, WorkerOutcome.Status.KILLED_BY_FAULT);
        int killed = r.faults().get(0).worker();
        assertThat(r.history().ops()).filteredOn(o -> o.worker() == killed && o.status() == Op.Status.INFO)
                .isNotEmpty();
        assertThat(r.history().ops()).filteredOn(o -> o.worker() != killed)
                .allMatch(o -> o.status() == Op.Status.OK).isNotEmpty();
        assertThat(r.mergedHistory()).exists();
    }

    @Test
    void aFailingWorkerIsReportedInOneLine() {
        CampaignResult r = Campaign.run(spec("fail", EngineWorkloads.Failing.class).duration(Duration.ofMillis(500))
                .build());
        assertThat(r.unhealthyWorkers()).containsExactly("worker 1 FAILED (exit 1) after " + r.workers().get(1)
                .ran().toMillis() + " ms: worker 1 failed: IllegalStateException: scenario set-up broke on worker 1");
    }

    @Test
    void aHangingWorkerIsThreadDumpedAndKilledAtTheDeadline() throws Exception {
        CampaignResult r = Campaign.run(spec("hang", EngineWorkloads.Hanging.class).duration(Duration.ofMillis(300))
                .deadline(Duration.ofSeconds(3)).build());
        assertThat(r.workers().get(0).status()).isEqualTo(WorkerOutcome.Status.TIMED_OUT);
        assertThat(r.workers().get(1).status()).isEqualTo(WorkerOutcome.Status.OK);
        assertThat(Files.readString(r.dir().resolve("worker-0.out"))).contains("Full thread dump")
                .contains("CountDownLatch.await");
    }

    @Test
    void workersThatCannotStartAbortTheCampaignWithTheirReason() {
        CampaignResult r = Campaign.run(spec("nostart", EngineWorkloads.Unconstructible.class)
                .duration(Duration.ofMillis(300)).build());
        assertThat(r.workers()).extracting(WorkerOutcome::status).containsOnly(WorkerOutcome.Status.NO_START);
        assertThat(r.unhealthyWorkers()).anySatisfy(line -> assertThat(line).contains("exit 2")
                .endsWith("Unconstructible needs a public no-argument constructor"));
        assertThat(r.history().size()).isZero();
    }

    @Test
    void anInMemoryH2DatabaseIsRejected() {
        assertThatThrownBy(() -> spec("mem", EngineWorkloads.Steady.class)
                .database(DbConfig.of("jdbc:h2:mem:x", "sa", "")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invisible to worker JVMs");
    }
}
