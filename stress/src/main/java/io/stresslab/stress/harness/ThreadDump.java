package io.stresslab.stress.harness;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A full thread dump of this JVM (every thread's state, stack, the lock it waits on and that lock's owner, the
 * monitors and ownable synchronizers it holds), plus an analysis: the waits-for edges ("A waits for lock L held by B,
 * which is RUNNABLE in a socket read"), and JVM-level deadlock cycles.
 */
public final class ThreadDump {
    private static final int MAX_FRAMES = 40;

    private final Instant takenAt;
    private final List<ThreadInfo> threads;
    private final long[] deadlocked;

    private ThreadDump(Instant takenAt, List<ThreadInfo> threads, long[] deadlocked) {
        this.takenAt = takenAt;
        this.threads = threads;
        this.deadlocked = deadlocked == null ? new long[0] : deadlocked;
    }

    /** Captures all threads now, with locked monitors and synchronizers. */
    public static ThreadDump capture() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ThreadInfo[] infos = mx.dumpAllThreads(mx.isObjectMonitorUsageSupported(), mx.isSynchronizerUsageSupported());
        long[] dl = mx.isSynchronizerUsageSupported() ? mx.findDeadlockedThreads() : mx.findMonitorDeadlockedThreads();
        return new ThreadDump(Instant.now(), Arrays.asList(infos), dl);
    }

    public Instant takenAt() {
        return takenAt;
    }

    public List<ThreadInfo> threads() {
        return threads;
    }

    /** Threads the JVM reports as deadlocked (a cycle of monitors or ownable synchronizers), by name. */
    public List<String> deadlockedThreads() {
        Map<Long, String> names = new HashMap<>();
        threads.forEach(t -> names.put(t.getThreadId(), t.getThreadName()));
        List<String> out = new ArrayList<>();
        for (long id : deadlocked) {
            out.add(names.getOrDefault(id, "#" + id));
        }
        return out;
    }

    public ThreadInfo thread(String name) {
        return threads.stream().filter(t -> t.getThreadName().equals(name)).findFirst().orElse(null);
    }

    /**
     * One edge per thread that waits on a lock with a known owner: who waits, on what, held by whom, and what the
     * owner is doing (its state and top application frame).
     */
    public List<WaitEdge> waitEdges() {
        Map<Long, ThreadInfo> byId = new HashMap<>();
        threads.forEach(t -> byId.put(t.getThreadId(), t));
        List<WaitEdge> edges = new ArrayList<>();
        for (ThreadInfo t : threads) {
            if (t.getLockInfo() == null || t.getLockOwnerId() < 0) {
                continue;
            }
            ThreadInfo owner = byId.get(t.getLockOwnerId());
            edges.add(new WaitEdge(t.getThreadName(), t.getThreadState().name(), t.getLockName(),
                    t.getLockOwnerName(), owner == null ? "?" : owner.getThreadState().name(),
                    owner == null ? "?" : topFrame(owner)));
        }
        return edges;
    }

    /**
     * A waits-for edge: {@code waiter} waits for {@code lock}, held by {@code owner}, which is at {@code ownerFrame}.
     */
    public record WaitEdge(String waiter, String waiterState, String lock, String owner, String ownerState,
                           String ownerFrame) {
        public boolean selfWait() {
            return waiter.equals(owner);
        }

        public String describe() {
            return selfWait()
                    ? waiter + " (" + waiterState + ") waits for " + lock + " which it already holds itself"
                    : waiter + " (" + waiterState + ") waits for " + lock + " held by " + owner + " (" + ownerState
                            + " at " + ownerFrame + ")";
        }
    }

    /** The waits-for edges in words, one per line. */
    public List<String> describeWaits() {
        return waitEdges().stream().map(WaitEdge::describe).toList();
    }

    /** The first frame outside the JDK's own packages, or the top frame. */
    public static String topFrame(ThreadInfo t) {
        StackTraceElement[] st = t.getStackTrace();
        if (st.length == 0) {
            return "(no frames)";
        }
        return st[0].toString();
    }

    /** Whether any frame of the thread matches one of {@code fragments} (class or method name fragments). */
    public static boolean stackContains(ThreadInfo t, String... fragments) {
        for (StackTraceElement e : t.getStackTrace()) {
            String f = e.getClassName() + "." + e.getMethodName();
            for (String frag : fragments) {
                if (f.contains(frag)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** jstack-like text of the threads whose names start with one of {@code prefixes} (all threads if none given). */
    public String render(String... prefixes) {
        StringBuilder sb = new StringBuilder("Thread dump taken at ").append(takenAt).append('\n');
        List<String> dl = deadlockedThreads();
        if (!dl.isEmpty()) {
            sb.append("JVM-reported deadlock among: ").append(String.join(", ", dl)).append('\n');
        }
        for (ThreadInfo t : threads) {
            if (prefixes.length > 0 && Arrays.stream(prefixes).noneMatch(p -> t.getThreadName().startsWith(p))) {
                continue;
            }
            sb.append('\n').append('"').append(t.getThreadName()).append("\" #").append(t.getThreadId())
                    .append(' ').append(t.getThreadState());
            if (t.getLockName() != null) {
                sb.append(" on ").append(t.getLockName());
            }
            if (t.getLockOwnerName() != null) {
                sb.append(" owned by \"").append(t.getLockOwnerName()).append('"');
            }
            sb.append('\n');
            StackTraceElement[] st = t.getStackTrace();
            MonitorInfo[] monitors = t.getLockedMonitors();
            for (int i = 0; i < st.length && i < MAX_FRAMES; i++) {
                sb.append("\tat ").append(st[i]).append('\n');
                for (MonitorInfo m : monitors) {
                    if (m.getLockedStackDepth() == i) {
                        sb.append("\t- locked ").append(m).append('\n');
                    }
                }
            }
            if (st.length > MAX_FRAMES) {
                sb.append("\t... ").append(st.length - MAX_FRAMES).append(" more\n");
            }
            LockInfo[] syncs = t.getLockedSynchronizers();
            if (syncs.length > 0) {
                sb.append("\tLocked ownable synchronizers:\n");
                for (LockInfo l : syncs) {
                    sb.append("\t- ").append(l).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /** A JSON-friendly form for record evidence. */
    public Map<String, Object> toEvidence(String... prefixes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("takenAt", takenAt.toString());
        m.put("waitsFor", describeWaits());
        m.put("deadlocked", deadlockedThreads());
        m.put("dump", render(prefixes));
        return m;
    }
}
