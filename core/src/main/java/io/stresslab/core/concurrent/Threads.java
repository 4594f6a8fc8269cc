package io.stresslab.core.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread factory of stresslab: every thread it makes is a daemon (a stuck thread never keeps a run alive) and
 * carries a name that says whose it is, which is what thread dumps and the watchdog's evidence show.
 */
public final class Threads {
    private Threads() {
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, … */
    public static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> daemon(prefix + "-" + n.incrementAndGet(), r);
    }

    /** Daemon threads all named exactly {@code name} (for single-thread executors). */
    public static ThreadFactory single(String name) {
        return r -> daemon(name, r);
    }

    /** A daemon thread named {@code name}, not started. */
    public static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts a daemon thread named {@code name}. */
    public static Thread start(String name, Runnable body) {
        Thread t = daemon(name, body);
        t.start();
        return t;
    }
}
