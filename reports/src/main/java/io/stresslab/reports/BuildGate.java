package io.stresslab.reports;

import java.io.PrintWriter;

/**
 * The build gate for {@code exec:java} in the reports module's {@code verify} phase: runs {@code report} with the
 * given arguments (which should include {@code --fail-on-regression}) and turns a non-zero exit code into an
 * exception, because {@code System.exit} inside Maven's JVM would end Maven itself. The report is written first;
 * the failing checks are already printed one per line, so the exception carries no stack trace.
 */
public final class BuildGate {
    private BuildGate() {
    }

    public static void main(String[] args) {
        run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs {@code report args…}; throws {@link GateFailure} unless it exits 0. */
    static void run(PrintWriter out, PrintWriter err, String... args) {
        String[] withCommand = new String[args.length + 1];
        withCommand[0] = "report";
        System.arraycopy(args, 0, withCommand, 1, args.length);
        int code = ReportsCli.execute(out, err, withCommand);
        if (code != ReportsCli.OK) {
            throw new GateFailure(code == ReportsCli.REGRESSION
                    ? "stress checks regressed (one line each above); the report was written anyway"
                    : "the stress report could not be written (see the error above)");
        }
    }

    /** The build-failing signal: a message, no stack trace. */
    static final class GateFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GateFailure(String message) {
            super(message, null, false, false);
        }
    }
}
