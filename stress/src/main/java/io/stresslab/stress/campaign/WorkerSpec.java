package io.stresslab.stress.campaign;

import java.util.Map;

/**
 * What the coordinator tells one worker JVM, as a JSON file named on its command line. The database password is NOT
 * in it: it travels in the worker's environment ({@value #PASSWORD_ENV}).
 */
record WorkerSpec(String campaign, String workloadClass, int worker, int workers, int threads, long seed,
                  String jdbcUrl, String user, String schema, String applicationName, long durationMillis,
                  long opBudget, double transientFaultRate, String historyFile, String metricsFile, int barrierPort,
                  long barrierDeadlineMillis, Map<String, String> params, long clockSkewMillis) {
    static final String PASSWORD_ENV = "STRESSLAB_WORKER_DB_PASSWORD";
}
