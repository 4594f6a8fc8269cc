package io.stresslab.stress.harness;

import io.stresslab.core.archon.EventLoop;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sees a deadlock as it forms, for the {@link Watchdog}: every few milliseconds of a bounded wait it samples the
 * state of every thread and the owner of the lock each one is parked or blocked on ({@link ThreadMXBean}; our own
 * application locks, {@code core.concurrent.NonReentrantLock} among them, are {@code AbstractOwnableSynchronizer}s, so
 * the JVM names their owner too), and reports a <em>finding</em> once the same one has been seen in
 * {@value #STABLE_SAMPLES} consecutive samples:
 * <ul>
 *   <li><b>self-wait</b>: a thread waits, with no timeout, for a lock it holds itself;</li>
 *   <li><b>cycle</b>: threads each waiting, with no timeout, for a lock held by the next, back to the first;</li>
 *   <li><b>lock held across I/O</b>: a thread waits, with no timeout, for a lock whose owner is in network I/O
 *       (RUNNABLE in a socket read or poll, or inside a known blocking call) — not a database driver's own I/O, which
 *       fixes do under their locks all the time.</li>
 *   <li><b>event loop blocked</b>: an {@link EventLoop}'s thread waits, with no timeout, for anything but its next
 *       task (a future's {@code get}, a lock, a latch) — while it waits no other task of the loop can run, and the
 *       task that would wake it is often one of them. Stable for at least {@value #LOOP_BLOCKED_MILLIS} ms as well,
 *       so a correct loop briefly parked on a contended lock is not a finding.</li>
 * </ul>
 * The detection never looks at what a check expects: it is the same for before and after variants; where no such
 * state forms, the wait runs to its own end. A timed wait ({@code TIMED_WAITING}, e.g. {@code tryLock(timeout)}) is
 * never a finding: it heals itself.
 *
 * <p>Threads that were already alive when the current check started ({@link #beginCheck}) are ignored, so a thread a
 * previous check left stuck cannot end the next check's waits.
 */
public final class FormationSampler {
    /** Sampling period while a watched wait runs. */
    public static final long PERIOD_NANOS = 5_000_000;
    /** How many consecutive samples must show the same finding. */
    public static final int STABLE_SAMPLES = 3;
    /** How long an event loop's thread must have been blocked in the same place to be a finding. */
    public static final long LOOP_BLOCKED_MILLIS = 100;
    private static final String LOOP_BLOCKED = "event loop blocked";
    /** Frames of an owner's stack that mean it sits in network I/O or a known blocking call. */
    private static final String[] IO_FRAMES = {"NioSocketImpl.read", "NioSocketImpl.accept", "SocketInputStream.read",
            "SocketDispatcher.read", "sun.nio.ch.Net.poll", "sun.nio.ch.Net.accept", "HttpURLConnection.getInputStream",
            "java.net.http.HttpClient.send", "jdk.internal.net.http.HttpClientImpl.send"};
    /** Frames of a database driver or pool: I/O there under a lock is normal, not a finding. */
    private static final String[] DATABASE_FRAMES = {"org.postgresql.", "org.h2.", "com.zaxxer.hikari."};
    private static final int OWNER_DEPTH = 48;
    /** The marker of a finding in a watchdog outcome's {@code stalledAt}. */
    static final String FORMED = " formed: ";

    private static volatile Set<Long> preexisting = Set.of();

    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final Set<Long> ignored;
    private String candidate;
    private int seen;
    private long firstSeenNanos;

    public FormationSampler() {
        this.ignored = preexisting;
    }

    /**
     * Called by {@link CheckRunner} as a check starts: the threads alive now belong to earlier checks (or the
     * harness) and are not watched during this check.
     */
    static void beginCheck() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Set<Long> ids = new HashSet<>();
        for (long id : mx.getAllThreadIds()) {
            ids.add(id);
        }
        ids.remove(Thread.currentThread().getId());
        preexisting = Set.copyOf(ids);
    }

    /** A finding that has been stable over enough samples: what formed, and how long it has been seen. */
    public record Finding(String kind, String description, long stableForMillis) {
        public String describe() {
            return kind + FORMED + description + " (stable over " + STABLE_SAMPLES + " samples, "
                    + stableForMillis + " ms)";
        }
    }

    /** Takes one sample; returns the finding once it has been the same in {@value #STABLE_SAMPLES} samples. */
    public Finding sample() {
        String[] now = look();
        long t = System.nanoTime();
        if (now == null) {
            candidate = null;
            seen = 0;
            return null;
        }
        String signature = now[0] + "|" + now[1];
        if (signature.equals(candidate)) {
            seen++;
        } else {
            candidate = signature;
            seen = 1;
            firstSeenNanos = t;
        }
        long stableMillis = (t - firstSeenNanos) / 1_000_000;
        boolean stable = seen >= STABLE_SAMPLES
                && (!now[0].equals(LOOP_BLOCKED) || stableMillis >= LOOP_BLOCKED_MILLIS);
        return stable ? new Finding(now[0], now[1], stableMillis) : null;
    }

    /**
     * {kind, description} of this sample's problems, or null: every self-wait, cycle and lock held across I/O, then
     * every thread queued behind one of their threads (so a thread that joins the deadlock changes the signature and
     * the finding is reported only once the set has settled).
     */
    private String[] look() {
        ThreadInfo[] infos = mx.getThreadInfo(mx.getAllThreadIds(), 0);
        Map<Long, ThreadInfo> byId = new TreeMap<>();
        for (ThreadInfo t : infos) {
            if (t != null) {
                byId.put(t.getThreadId(), t);
            }
        }
        String kind = null;
        List<String> parts = new ArrayList<>();
        Set<Long> stuck = new HashSet<>();
        for (ThreadInfo t : byId.values()) {
            if (!waitsForever(t) || ignored.contains(t.getThreadId())) {
                continue;
            }
            if (t.getLockOwnerId() == t.getThreadId()) {
                kind = kind == null ? "self-wait" : kind;
                parts.add("\"" + t.getThreadName() + "\" waits for " + t.getLockName() + " which it holds itself");
                stuck.add(t.getThreadId());
                continue;
            }
            List<ThreadInfo> cycle = cycleFrom(t, byId);
            if (cycle != null && cycle.stream().noneMatch(c -> stuck.contains(c.getThreadId()))) {
                kind = kind == null ? "waits-for cycle" : kind;
                List<String> edges = new ArrayList<>();
                for (ThreadInfo c : cycle) {
                    edges.add("\"" + c.getThreadName() + "\" waits for " + c.getLockName() + " held by \""
                            + c.getLockOwnerName() + "\"");
                    stuck.add(c.getThreadId());
                }
                parts.add("cycle: " + String.join(" -> ", edges));
            }
        }
        for (ThreadInfo t : byId.values()) {
            if (!waitsForever(t) || ignored.contains(t.getThreadId()) || stuck.contains(t.getThreadId())) {
                continue;
            }
            ThreadInfo owner = byId.get(t.getLockOwnerId());
            if (owner == null || owner.getThreadState() == Thread.State.BLOCKED
                    || owner.getThreadState() == Thread.State.WAITING && stuck.contains(owner.getThreadId())) {
                continue;
            }
            ThreadInfo deep = mx.getThreadInfo(owner.getThreadId(), OWNER_DEPTH);
            String io = deep == null ? null : ioFrame(deep);
            if (io != null) {
                kind = kind == null ? "lock held across I/O" : kind;
                parts.add("\"" + t.getThreadName() + "\" (" + t.getThreadState() + ") waits for " + t.getLockName()
                        + " held by \"" + owner.getThreadName() + "\" (" + deep.getThreadState() + " in " + io + ")");
                stuck.add(t.getThreadId());
            }
        }
        for (ThreadInfo t : byId.values()) {
            Thread.State st = t.getThreadState();
            if ((st == Thread.State.WAITING || st == Thread.State.BLOCKED) && !ignored.contains(t.getThreadId())
                    && !stuck.contains(t.getThreadId()) && EventLoop.isLoopThread(t.getThreadId())) {
                ThreadInfo deep = mx.getThreadInfo(t.getThreadId(), OWNER_DEPTH);
                String at = deep == null ? null : blockingFrame(deep);
                if (at != null) {
                    kind = kind == null ? LOOP_BLOCKED : kind;
                    parts.add("event loop thread \"" + t.getThreadName() + "\" " + st + " on " + t.getLockName()
                            + " in " + at + ": no other task of its loop can run");
                    stuck.add(t.getThreadId());
                }
            }
        }
        if (kind == null) {
            return null;
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (ThreadInfo t : byId.values()) {
                if (waitsForever(t) && !stuck.contains(t.getThreadId()) && stuck.contains(t.getLockOwnerId())) {
                    parts.add("\"" + t.getThreadName() + "\" queued behind it on " + t.getLockName() + " held by \""
                            + t.getLockOwnerName() + "\"");
                    stuck.add(t.getThreadId());
                    grew = true;
                }
            }
        }
        return new String[] {kind, String.join("; ", parts)};
    }

    private static boolean waitsForever(ThreadInfo t) {
        Thread.State s = t.getThreadState();
        return (s == Thread.State.WAITING || s == Thread.State.BLOCKED) && t.getLockOwnerId() >= 0;
    }

    /** The cycle through {@code start}'s owner chain that returns to {@code start}, or null. */
    private List<ThreadInfo> cycleFrom(ThreadInfo start, Map<Long, ThreadInfo> byId) {
        List<ThreadInfo> path = new ArrayList<>();
        Set<Long> visited = new HashSet<>();
        ThreadInfo cur = start;
        while (cur != null && waitsForever(cur) && visited.add(cur.getThreadId())) {
            path.add(cur);
            long next = cur.getLockOwnerId();
            if (next == start.getThreadId()) {
                return path.size() >= 2 ? path : null;
            }
            cur = byId.get(next);
        }
        return null;
    }

    /**
     * Where a waiting loop thread waits: the first frame outside the JDK's own concurrency and reflection classes, or
     * null when the thread is idle (waiting in its executor for the next task).
     */
    private static String blockingFrame(ThreadInfo loop) {
        String first = null;
        for (StackTraceElement e : loop.getStackTrace()) {
            String f = e.getClassName() + "." + e.getMethodName();
            if (f.equals("java.util.concurrent.ThreadPoolExecutor.getTask")) {
                return null;
            }
            if (first == null && !f.startsWith("java.") && !f.startsWith("jdk.") && !f.startsWith("sun.")) {
                first = f + ":" + e.getLineNumber();
            }
        }
        return first != null ? first : "the JDK";
    }

    /** The I/O frame the owner sits in, or null (none, or a database driver's I/O). */
    private static String ioFrame(ThreadInfo owner) {
        String found = null;
        for (StackTraceElement e : owner.getStackTrace()) {
            String f = e.getClassName() + "." + e.getMethodName();
            for (String db : DATABASE_FRAMES) {
                if (f.startsWith(db)) {
                    return null;
                }
            }
            for (String frag : IO_FRAMES) {
                if (f.contains(frag)) {
                    found = f; // the outermost I/O frame: stable while the call lasts
                    break;
                }
            }
        }
        return found;
    }
}
