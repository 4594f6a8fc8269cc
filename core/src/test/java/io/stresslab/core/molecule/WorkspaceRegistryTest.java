package io.stresslab.core.molecule;

import io.stresslab.core.concurrent.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import io.stresslab.core.molecule.PluginReconciler.Trigger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry's gate semantics on H2, with reconciles run inline so every assertion is deterministic. The
 * concurrent, closed-loop behaviour is the stress module's MOLECULE-1 check.
 */
class WorkspaceRegistryTest {
    private static final String MCP = WorkspaceRegistry.MANAGEMENT_PLUGIN;
    private final List<String> fires = new CopyOnWriteArrayList<>();
    private final ManualClock clock = new ManualClock();
    private Database db;
    private PluginReconciler reconciler;

    @BeforeEach
    void open() {
        db = Database.open(DbConfig.of("jdbc:h2:mem:molecule_" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1", "sa", ""));
        reconciler = new PluginReconciler(db, Runnable::run, Duration.ofMinutes(10),
                new PluginReconciler.Listener() {
                    @Override
                    public void fired(String ws, Trigger trigger) {
                        fires.add(ws + "/" + trigger);
                    }

                    @Override
                    public void finished(String ws, int installed, Throwable failure) {
                    }
                });
    }

    @AfterEach
    void close() {
        db.close();
    }

    private WorkspaceRegistry before() {
        return new WorkspaceRegistry(db, reconciler, new FailClosedGate());
    }

    private WorkspaceRegistry after() {
        return new WorkspaceRegistry(db, reconciler,
                new RecoveringGate(reconciler, new AtomicCooldownGate(clock, Duration.ofMinutes(5))));
    }

    private static void concierge(WorkspaceRegistry r, String id, boolean withModel) {
        r.provision(id, WorkspaceRegistry.PLATFORM_KIND, withModel ? Map.of("MODEL", "k") : Map.of(), Set.of(MCP));
    }

    @Test
    void beforeTheGateFailsTheConciergeAndNothingEverFires() {
        WorkspaceRegistry r = before();
        concierge(r, "c", true);
        assertThat(r.register("c", false).httpStatus()).isEqualTo(400);
        for (int i = 0; i < 5; i++) {
            assertThat(r.heartbeat("c", false)).isEqualTo(WorkspaceStatus.FAILED);
        }
        assertThat(fires).isEmpty();
        assertThat(r.installedPlugins("c")).isEmpty();
    }

    @Test
    void afterAHeartbeatFiresTheRecoveryOncePerCooldownStillFailsClosedAndAPresentBeatClimbsOnline() {
        WorkspaceRegistry r = after();
        concierge(r, "c", true);
        assertThat(r.heartbeat("c", false)).as("fail-closed for this beat").isEqualTo(WorkspaceStatus.FAILED);
        assertThat(r.heartbeat("c", false)).isEqualTo(WorkspaceStatus.FAILED);
        assertThat(fires).containsExactly("c/MCP_RECOVERY");
        assertThat(r.installedPlugins("c")).containsExactly(MCP);
        assertThat(r.status("c")).as("the reconcile never marks online").isEqualTo(WorkspaceStatus.FAILED);
        assertThat(r.heartbeat("c", true)).isEqualTo(WorkspaceStatus.ONLINE);
        clock.advance(Duration.ofMinutes(5));
        assertThat(r.heartbeat("c", false)).as("MCP lost again").isEqualTo(WorkspaceStatus.FAILED);
        assertThat(fires).containsExactly("c/MCP_RECOVERY", "c/ONLINE_TRANSITION", "c/MCP_RECOVERY");
    }

    @Test
    void afterRegisterFiresTooAndAnswers400() {
        WorkspaceRegistry r = after();
        concierge(r, "c", true);
        Registration reg = r.register("c", false);
        assertThat(reg.accepted()).isFalse();
        assertThat(reg.httpStatus()).isEqualTo(400);
        assertThat(fires).containsExactly("c/MCP_RECOVERY");
    }

    @Test
    void afterAModelMissingConciergeNeverFires() {
        WorkspaceRegistry r = after();
        concierge(r, "m", false);
        assertThat(r.register("m", false).reason()).contains("MODEL");
        assertThat(r.heartbeat("m", false)).isEqualTo(WorkspaceStatus.FAILED);
        assertThat(r.heartbeat("m", true)).isEqualTo(WorkspaceStatus.FAILED);
        assertThat(fires).isEmpty();
    }

    @Test
    void afterANonPlatformWorkspaceNeverFiresTheRecovery() {
        WorkspaceRegistry r = after();
        r.provision("w", "standard", Map.of(), Set.of("search"));
        assertThat(r.heartbeat("w", false)).isEqualTo(WorkspaceStatus.ONLINE);
        assertThat(r.heartbeat("w", false)).isEqualTo(WorkspaceStatus.ONLINE);
        assertThat(fires).containsExactly("w/ONLINE_TRANSITION");
    }

    @Test
    void anOldRuntimeReportingNothingCountsAsPresent() {
        WorkspaceRegistry r = after();
        concierge(r, "c", true);
        assertThat(r.heartbeat("c", null)).isEqualTo(WorkspaceStatus.ONLINE);
    }

    @Test
    void badIdsAreRefusedWithOneLine() {
        WorkspaceRegistry r = after();
        assertThatThrownBy(() -> r.heartbeat(null, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workspace id must not be empty");
        assertThatThrownBy(() -> r.heartbeat("x".repeat(10_000), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 100");
        assertThatThrownBy(() -> r.heartbeat("nobody", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown workspace 'nobody'");
    }
}
