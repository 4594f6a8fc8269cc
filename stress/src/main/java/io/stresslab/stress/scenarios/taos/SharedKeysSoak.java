package io.stresslab.stress.scenarios.taos;

import io.stresslab.core.db.Database;
import io.stresslab.stress.campaign.CampaignResult;
import io.stresslab.stress.campaign.CampaignSpec;
import io.stresslab.stress.campaign.Workload;
import io.stresslab.stress.history.LiveJudge;
import io.stresslab.stress.history.LiveSameResponse;
import io.stresslab.stress.soak.SoakWorkload;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * TAOS-3's after variant (database reservation) in {@code stresslab soak}: {@link SharedKeysWorkload} with
 * {@value #LANES} lanes per worker and soak-specific pauses — the handler saves for {@value #SAVE_MILLIS} ms and the
 * followers come {@value #FOLLOW_MILLIS} ms after the leader (the check uses 60 ms and 20 ms to make a retry land
 * mid-execution every time; the soak wants operations), lease 1 s. Live: every OK response of a key identical
 * ({@link LiveSameResponse}, the last 100,000 keys). Audit: agent names with more than one row (a side effect run
 * twice), read with one grouped query.
 */
public final class SharedKeysSoak implements SoakWorkload {
    static final int LANES = 4;
    static final long SAVE_MILLIS = 2;
    static final long FOLLOW_MILLIS = 1;
    private static final int WINDOW = 100_000;

    @Override
    public String id() {
        return "taos3";
    }

    @Override
    public String describe() {
        return "TAOS-3 database-reservation (SharedKeysWorkload, " + LANES + " lanes per worker)";
    }

    @Override
    public Class<? extends Workload> workload() {
        return SharedKeysWorkload.class;
    }

    @Override
    public int threadsPerWorker() {
        return LANES;
    }

    @Override
    public void prepare(Database db, CampaignSpec.Builder spec) {
        spec.variant("variant:database-reservation")
                .param(SharedKeysWorkload.LEASE_MILLIS, SharedKeysCampaign.LEASE.toMillis())
                .param(SharedKeysWorkload.SAVE_MILLIS, SAVE_MILLIS)
                .param(SharedKeysWorkload.FOLLOW_MILLIS, FOLLOW_MILLIS)
                .fitToLease(SharedKeysCampaign.LEASE);
    }

    @Override
    public LiveJudge judge(int workers) {
        return new LiveSameResponse(SharedKeysWorkload.REQUEST, WINDOW);
    }

    @Override
    public List<String> audit(Database db, CampaignResult r, LiveJudge judge) {
        return db.autoCommit(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, COUNT(*) FROM taos_agents GROUP BY name "
                    + "HAVING COUNT(*) > 1 ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next() && out.size() < 20) {
                    out.add("exactly-once on key-" + rs.getString(1).substring("agent-".length())
                            + ": side effect ran " + rs.getLong(2) + " times");
                }
            }
            return out;
        });
    }
}
