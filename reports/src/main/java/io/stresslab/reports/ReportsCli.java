package io.stresslab.reports;

import io.stresslab.stress.harness.TimeTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code report}: writes the HTML report and summary.json from result records (+ JMH files + jcstress folders), and
 * with {@code --fail-on-regression} exits 1 after writing it when any check did not reproduce, was violated or
 * errored. {@code compare}: one JMH JSON file (its variants) or two (before, after) → a statistics table with paired
 * ratios on stdout and an HTML page.
 * Exit codes: 0 fine, 1 regression, 2 bad input (one line on stderr, no stack trace).
 */
@Command(name = "stresslab-reports", mixinStandardHelpOptions = true, version = "stresslab reports 0.1.0",
        subcommands = {ReportsCli.Report.class, ReportsCli.Compare.class},
        description = "stresslab's HTML report, build gate and JMH comparison.")
public final class ReportsCli implements Runnable {
    public static final int OK = 0;
    public static final int REGRESSION = 1;
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (for tests and the Maven build gate). */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new ReportsCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof BadInputException || e instanceof UncheckedIOException) {
                cmd.getErr().println("error: " + e.getMessage().lines().findFirst().orElse(e.toString()));
                return BAD_INPUT;
            }
            throw e;
        });
        cl.setExitCodeExceptionMapper(e -> BAD_INPUT);
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: report or compare");
    }

    @Command(name = "report", mixinStandardHelpOptions = true, version = "stresslab reports 0.1.0",
            description = "Write index.html and summary.json from result records, JMH results and jcstress reports.")
    static final class Report implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-r", "--records"}, paramLabel = "DIR",
                description = "a folder of result records (repeatable; default stress/target/stresslab-results)")
        List<Path> records = new ArrayList<>();

        @Option(names = {"-j", "--jmh"}, paramLabel = "FILE", description = "a JMH JSON result file (repeatable)")
        List<Path> jmh = new ArrayList<>();

        @Option(names = "--jcstress", paramLabel = "DIR", description = "a jcstress report folder to link (repeatable)")
        List<Path> jcstress = new ArrayList<>();

        @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "output folder (default ${DEFAULT-VALUE})")
        Path out = ReportGenerator.DEFAULT_OUT;

        @Option(names = "--fail-on-regression",
                description = "exit 1 (after writing the report) if any check is not-reproduced, violated or error")
        boolean failOnRegression;

        @Option(names = "--fail-on-flaky",
                description = "exit 1 (after writing the report) if a reproduction run under --repeat N caught its "
                        + "bug in fewer than N runs")
        boolean failOnFlaky;

        @Option(names = "--time-table",
                description = "print where the wall time went (per check and per phase, with the report's own time)")
        boolean timeTable;

        @Override
        public Integer call() {
            List<Path> dirs = records.isEmpty() ? List.of(Path.of("stress", "target", "stresslab-results")) : records;
            long t0 = System.nanoTime();
            ReportGenerator.Report r = new ReportGenerator()
                    .generate(new ReportGenerator.Inputs(dirs, jmh, jcstress, out));
            PrintWriter o = spec.commandLine().getOut();
            if (timeTable) {
                o.println();
                TimeTable.lines(r.records(), Map.of("report", (System.nanoTime() - t0) / 1_000_000))
                        .forEach(o::println);
                o.println();
            }
            o.println(r.outcome().state() + ": " + r.outcome().headline());
            o.println("report: " + r.html().toAbsolutePath());
            o.println("summary: " + r.summary().toAbsolutePath());
            List<String> failures = new ArrayList<>(failOnRegression ? r.outcome().failureLines() : List.of());
            if (failOnFlaky) {
                failures.addAll(Outcome.flakyLines(r.records()));
            }
            if (!failures.isEmpty()) {
                PrintWriter e = spec.commandLine().getErr();
                failures.forEach(e::println);
                e.println(failures.size() + " stress check(s) regressed; see " + r.html().toAbsolutePath());
                return REGRESSION;
            }
            return OK;
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true, version = "stresslab reports 0.1.0",
            description = {"Compare JMH JSON results: one file pairs its variants (before, after, ceiling) within each"
                    + " configuration; two files (BEFORE, AFTER) pair the same benchmarks across them.",
                    "Each row: the paired speed-up after/before with its 95%% CI (fork i beside fork i), medians and"
                    + " 95%% CIs of the raw samples, Mann–Whitney U."})
    static final class Compare implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "BEFORE", description = "a JMH JSON result file (the before side when"
                + " AFTER is given)")
        Path before;

        @Parameters(index = "1", arity = "0..1", paramLabel = "AFTER", description = "the after JMH JSON result file")
        Path after;

        @Option(names = "--html", paramLabel = "FILE", description = "HTML output (default ${DEFAULT-VALUE})")
        Path html = Path.of("jmh-compare.html");

        @Override
        public Integer call() {
            JmhComparison.Table t = after == null
                    ? JmhComparison.byVariant(before.getFileName().toString(), JmhResult.read(before))
                    : JmhComparison.beforeVsAfter(before.getFileName() + " → " + after.getFileName(),
                            JmhResult.read(before), JmhResult.read(after));
            spec.commandLine().getOut().print(JmhRender.text(t));
            String sides = after == null ? "variants of " + Html.esc(before) + " within each configuration"
                    : "before = " + Html.esc(before) + ", after = " + Html.esc(after);
            String page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>JMH comparison "
                    + Html.esc(t.title()) + "</title><style>" + Style.CSS + "</style></head><body><h2>JMH comparison: "
                    + Html.esc(t.title()) + "</h2><p class=\"note\">" + sides + ". Paired speed-up after/before"
                    + " (above 1: after is faster): geometric mean over fork pairs, 95% t interval of the log ratios."
                    + " Medians of raw iteration samples, distribution-free 95% CI of each median, ratio after/before,"
                    + " two-sided Mann–Whitney U (α = 0.05).</p>" + JmhRender.html(t) + "</body></html>\n";
            try {
                Path parent = html.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                Files.writeString(html, page, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new BadInputException("cannot write " + html + ": " + e.getMessage());
            }
            spec.commandLine().getOut().println("html: " + html.toAbsolutePath());
            return OK;
        }
    }
}
