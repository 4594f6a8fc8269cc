package io.stresslab.stress.history;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Builds hand-written operations for checker tests. */
final class Ops {
    private static final AtomicLong IDS = new AtomicLong();

    private Ops() {
    }

    static Op ok(int worker, String name, String key, long invoke, long complete, String result, String... args) {
        return new Op(worker, 0, IDS.incrementAndGet(), name, key, List.of(args), invoke, complete, Op.Status.OK,
                result);
    }

    static Op info(int worker, String name, String key, long invoke, String... args) {
        return new Op(worker, 0, IDS.incrementAndGet(), name, key, List.of(args), invoke, Op.NEVER, Op.Status.INFO,
                null);
    }

    static Op fail(int worker, String name, String key, long invoke, long complete, String... args) {
        return new Op(worker, 0, IDS.incrementAndGet(), name, key, List.of(args), invoke, complete, Op.Status.FAIL,
                "rolled back");
    }
}
