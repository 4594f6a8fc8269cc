package io.stresslab.stress.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code stresslab} command line. {@code stresslab run} is the main job: the stress campaign, a verdict table,
 * the JSON records. Exit codes: 0 every reproduction reproduced and every fix held; 1 some did not; 2 bad input (one
 * line on stderr, never a stack trace). {@code stresslab check} checks recorded histories (0 linearizable, 1 not,
 * 3 unknown, 2 bad input).
 */
@Command(name = "stresslab", mixinStandardHelpOptions = true, version = "stresslab 0.1.0",
        description = "Reproduces catalogued concurrency bugs and verifies their fixes.",
        subcommands = {RunCommand.class, ListCommand.class, CheckCommand.class, SoakCommand.class})
public final class StresslabCli implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED_CHECKS = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new StresslabCli());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("stresslab: " + oneLine(e));
            return EXIT_BAD_INPUT;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("stresslab: " + e.getMessage()
                    + " (see 'stresslab " + e.getCommandLine().getCommandName() + " --help')");
            return EXIT_BAD_INPUT;
        });
        return cl.execute(args);
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
