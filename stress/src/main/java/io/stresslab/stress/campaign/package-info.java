/**
 * The multi-process campaign engine: N worker JVMs run one {@link io.stresslab.stress.campaign.Workload} against a
 * shared database, released together by a start barrier, under seeded faults ({@code kill -9} of a worker,
 * {@code pg_terminate_backend} of a worker's sessions, injected 40001/40P01 commit failures), each recording its
 * operations into a streamed history; the coordinator merges the histories for the checkers of
 * {@link io.stresslab.stress.history}.
 *
 * <p>A multi-worker check body, in outline:
 * <pre>{@code
 * DbConfig cfg = Campaign.sharedConfig(ctx, "orch2");            // reachable from other JVMs (H2 files or a PG schema)
 * try (Database db = Database.open(cfg)) {                        // set-up, final-state reads; drops the PG schema
 *     CampaignResult r = Campaign.run(CampaignSpec.builder("orch2-lease", LeaseWorkload.class)
 *             .workers(3).threadsPerWorker(2).seed(ctx.seed()).database(cfg).workDir(ctx.workDir())
 *             .duration(Duration.ofSeconds(3)).killWorkers(1).transientFaults(0.05).build());
 *     List<HistoryChecker.Violation> v = new MutualExclusionChecker("enter", "exit").check(r.history());
 *     Observation o = v.isEmpty() ? Observation.bugAbsent("0 overlaps over " + r.history().size() + " ops")
 *                                 : Observation.bugObserved(v.get(0).describe());
 *     return r.addTo(o).operations(r.history().size());
 * }
 * }</pre>
 * The workload class lives in main code (the command line runs the same checks) and needs a public no-argument
 * constructor. Worker files (spec, history, stdout/stderr, metrics) and {@code campaign.json} are kept in the
 * campaign's folder under the work directory. The same seed replays the same worker seeds and fault schedule.
 */
package io.stresslab.stress.campaign;
