package io.stresslab.stress.cli;

import io.stresslab.stress.harness.CheckRecord;
import io.stresslab.stress.harness.CheckSpec;

/** A progress bar on a terminal (redrawn in place), or one line per finished check when output is not a terminal. */
final class Progress {
    private static final int WIDTH = 30;
    private final int total;
    private final boolean terminal = System.console() != null;
    private final long start = System.nanoTime();
    private int finished;

    Progress(int total) {
        this.total = total;
    }

    void starting(CheckSpec spec) {
        if (terminal) {
            System.out.print("\r" + bar() + " running " + spec.bug() + " " + spec.variant() + " / " + spec.check()
                    + "\u001b[K");
            System.out.flush();
        }
    }

    void finished(CheckRecord r) {
        finished++;
        String line = bar() + " " + r.bug() + " " + r.variant() + " / " + r.check() + " [" + r.database() + "]: "
                + r.verdict().json() + " in " + r.durationMillis() + " ms";
        if (terminal) {
            System.out.print("\r" + line + "\u001b[K");
            System.out.flush();
        } else {
            System.out.println(line);
        }
    }

    void close() {
        if (terminal) {
            System.out.println();
        }
        System.out.printf("finished %d checks in %.1f s%n", finished, (System.nanoTime() - start) / 1e9);
    }

    private String bar() {
        int filled = total == 0 ? WIDTH : finished * WIDTH / total;
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + finished + "/" + total;
    }
}
