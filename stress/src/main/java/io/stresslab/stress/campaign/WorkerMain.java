package io.stresslab.stress.campaign;

import io.stresslab.core.concurrent.Threads;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stresslab.core.db.Database;
import io.stresslab.core.db.DbConfig;
import io.stresslab.core.db.RetryPolicy;
import io.stresslab.stress.history.HistoryRecorder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The main class of a campaign's worker JVM: {@code WorkerMain <spec.json>}. Opens the shared database and its history
 * file, joins the coordinator's start barrier (loopback socket: sends its index, waits for the go byte, bounded by a
 * deadline), runs the {@link Workload}, writes its metrics and exits. It halts at once if the coordinator goes away,
 * so no worker outlives its campaign.
 *
 * <p>Exit codes: 0 done; 1 the workload failed; 2 bad spec or set-up failure; 3 no go from the barrier in time.
 */
public final class WorkerMain {
    static final byte GO = 'G';
    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkerMain() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            fail(2, "usage: WorkerMain <worker-spec.json>");
        }
        WorkerSpec spec;
        try {
            spec = JSON.readValue(Path.of(args[0]).toFile(), WorkerSpec.class);
        } catch (IOException e) {
            fail(2, "bad worker spec " + args[0] + ": " + Database.rootMessage(e));
            return;
        }
        Workload workload;
        try {
            workload = Class.forName(spec.workloadClass()).asSubclass(Workload.class).getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            fail(2, "workload " + spec.workloadClass() + " needs a public no-argument constructor");
            return;
        } catch (ReflectiveOperationException | RuntimeException e) {
            fail(2, "cannot create workload " + spec.workloadClass() + ": " + Database.rootMessage(e));
            return;
        }
        String me = "worker " + spec.worker();
        Database db = null;
        TransientFaults faults = null;
        try (HistoryRecorder history = HistoryRecorder.open(Path.of(spec.historyFile()), spec.worker())) {
            try {
                if (spec.jdbcUrl() != null) {
                    DbConfig config = new DbConfig(spec.jdbcUrl(), spec.user(),
                            System.getenv().getOrDefault(WorkerSpec.PASSWORD_ENV, ""), spec.schema(),
                            spec.threads() + 1, false);
                    db = Database.open(config, spec.applicationName());
                    if (spec.transientFaultRate() > 0) {
                        faults = new TransientFaults(spec.transientFaultRate(), config.kind(), spec.seed());
                        db.withFaults(faults).withRetryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(6));
                    }
                }
            } catch (RuntimeException e) {
                fail(2, me + ": cannot open the database: " + Database.rootMessage(e));
            }
            awaitGo(spec, me);
            try {
                workload.run(new WorkerContext(spec, db, history));
            } catch (Throwable e) {
                fail(1, me + " failed: " + e.getClass().getSimpleName() + ": " + Database.rootMessage(e));
            }
            writeMetrics(spec, db, faults);
        } finally {
            if (db != null) {
                db.close();
            }
        }
        System.exit(0);
    }

    /** Joins the barrier; then watches the socket and halts if the coordinator disappears. */
    private static void awaitGo(WorkerSpec spec, String me) {
        try {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), spec.barrierPort());
            new DataOutputStream(s.getOutputStream()).writeInt(spec.worker());
            s.setSoTimeout((int) Math.max(1, spec.barrierDeadlineMillis()));
            DataInputStream in = new DataInputStream(s.getInputStream());
            if (in.readByte() != GO) {
                fail(3, me + ": unexpected barrier message");
            }
            s.setSoTimeout(0);
            Threads.start("stresslab-coordinator-watch", () -> {
                try {
                    while (in.read() >= 0) {
                        // the coordinator sends nothing more; EOF means it is gone
                    }
                } catch (IOException ignored) {
                    // same: the coordinator is gone
                }
                System.err.println(me + ": coordinator gone, halting");
                Runtime.getRuntime().halt(4);
            });
        } catch (SocketTimeoutException e) {
            fail(3, me + ": no go from the start barrier within " + spec.barrierDeadlineMillis() + " ms");
        } catch (IOException e) {
            fail(3, me + ": cannot join the start barrier: " + e.getMessage());
        }
    }

    private static void writeMetrics(WorkerSpec spec, Database db, TransientFaults faults) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("injectedTransientFaults", faults == null ? 0 : faults.injected());
        m.put("retries", db == null ? 0 : db.retries());
        m.put("commits", db == null ? 0 : db.commits());
        try {
            JSON.writeValue(Path.of(spec.metricsFile()).toFile(), m);
        } catch (IOException e) {
            System.err.println("worker " + spec.worker() + ": cannot write metrics: " + e.getMessage());
        }
    }

    private static void fail(int code, String line) {
        System.err.println(line);
        System.err.flush();
        System.exit(code);
    }
}
