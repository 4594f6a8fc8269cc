package io.stresslab.stress.soak;

import io.stresslab.core.db.Database;
import io.stresslab.stress.campaign.CampaignResult;
import io.stresslab.stress.campaign.CampaignSpec;
import io.stresslab.stress.campaign.Workload;
import io.stresslab.stress.history.LiveJudge;
import java.util.List;

/**
 * One after variant's multi-worker workload as {@code stresslab soak} runs it: its worker {@link Workload}, how to
 * prepare the shared database and the campaign (soak-specific parameters may differ from the regular check's), its
 * live judges, and a post-run audit of the database that reads per key (never the whole history).
 */
public interface SoakWorkload {
    /** Short id, e.g. {@code orch2}. */
    String id();

    /** One line: bug, variant, what it does. */
    String describe();

    Class<? extends Workload> workload();

    int threadsPerWorker();

    /** Sets up the shared database and the spec's parameters for one segment. */
    void prepare(Database db, CampaignSpec.Builder spec) throws Exception;

    /** A fresh live judge for one segment of {@code workers} workers. */
    LiveJudge judge(int workers);

    /** Post-run audit of the segment's database: one description per violation (bounded), none when it held. */
    List<String> audit(Database db, CampaignResult r, LiveJudge judge) throws Exception;
}
