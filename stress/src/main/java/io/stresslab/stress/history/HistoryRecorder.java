package io.stresslab.stress.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams one worker's history to a JSON-lines file, one event per line. Each line is handed to the operating system
 * in a single unbuffered {@code write}, so a {@code kill -9} of the worker loses at most a partial last line (which
 * {@link History#merge} tolerates); nothing is held in memory. Thread-safe; each recording thread gets a small
 * thread number of its own.
 *
 * <pre>{@code
 * HistoryRecorder.Pending op = recorder.invoke("cas", key, "4", "5");
 * ... do it ...
 * op.ok("true");   // or op.fail(reason) if it certainly had no effect, op.info(reason) if the outcome is unknown
 * }</pre>
 */
public final class HistoryRecorder implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int worker;
    private final OutputStream out;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger threads = new AtomicInteger();
    private final ThreadLocal<Integer> threadNo = ThreadLocal.withInitial(threads::getAndIncrement);

    private HistoryRecorder(int worker, OutputStream out) {
        this.worker = worker;
        this.out = out;
    }

    /** Creates (or truncates) {@code file} and records into it as worker {@code worker}. */
    public static HistoryRecorder open(Path file, int worker) {
        try {
            return new HistoryRecorder(worker, new FileOutputStream(file.toFile(), false));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create history file " + file + ": " + e.getMessage(), e);
        }
    }

    public int worker() {
        return worker;
    }

    /** Records the invocation of {@code op} on {@code key} now; complete the returned handle exactly once. */
    public Pending invoke(String op, String key, String... args) {
        if (op == null || op.isBlank() || key == null) {
            throw new IllegalArgumentException("an operation needs a name and a key");
        }
        long id = ids.incrementAndGet();
        int thread = threadNo.get();
        write(new HistoryEvent(HistoryEvent.INVOKE, HistoryClock.now(), worker, thread, id, op, key,
                List.of(args), null));
        return new Pending(id, thread);
    }

    private void write(HistoryEvent e) {
        byte[] line;
        try {
            byte[] json = JSON.writeValueAsBytes(e);
            line = java.util.Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        synchronized (out) {
            try {
                out.write(line);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot append to the history: " + ex.getMessage(), ex);
            }
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An invoked operation awaiting its completion. */
    public final class Pending {
        private final long id;
        private final int thread;
        private boolean completed;

        private Pending(long id, int thread) {
            this.id = id;
            this.thread = thread;
        }

        public long id() {
            return id;
        }

        /** It took effect and returned {@code result}. */
        public void ok(String result) {
            complete("ok", result);
        }

        /** It certainly had no effect (rolled back, refused before doing anything). */
        public void fail(String reason) {
            complete("fail", reason);
        }

        /** Its outcome is unknown: it may have taken effect, or not. */
        public void info(String reason) {
            complete("info", reason);
        }

        private synchronized void complete(String type, String result) {
            if (completed) {
                throw new IllegalStateException("operation #" + id + " completed twice");
            }
            completed = true;
            write(new HistoryEvent(type, HistoryClock.now(), worker, thread, id, null, null, null, result));
        }
    }
}
