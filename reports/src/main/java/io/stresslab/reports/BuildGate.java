package io.stresslab.reports;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The build gate for {@code exec:java} in the reports module's {@code verify} phase: runs {@code report} with the
 * given arguments (which should include {@code --fail-on-regression}) and turns a non-zero exit code into an
 * exception, because {@code System.exit} inside Maven's JVM would end Maven itself. The report is written first;
 * the failing checks are already printed one per line, so the exception carries no stack trace.
 *
 * <p>The stress module runs its tests with {@code testFailureIgnore}, so that a failing check still lets this gate
 * write the report; {@code --surefire DIR} (repeatable, read before the report arguments) makes the gate fail the
 * build for every failed or errored test in those Surefire report folders too, one line each. Under {@code CI=true}
 * it adds {@code --fail-on-flaky}: a reproduction run with {@code -Dstresslab.repeat=N} that caught its bug in fewer
 * than N runs fails the build.
 */
public final class BuildGate {
    private BuildGate() {
    }

    public static void main(String[] args) {
        run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs {@code report args…}; throws {@link GateFailure} unless it exits 0 and no listed test failed. */
    static void run(PrintWriter out, PrintWriter err, String... args) {
        List<Path> surefire = new ArrayList<>();
        List<String> reportArgs = new ArrayList<>(List.of("report"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--surefire") && i + 1 < args.length) {
                surefire.add(Path.of(args[++i]));
            } else {
                reportArgs.add(args[i]);
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI")) && !reportArgs.contains("--fail-on-flaky")) {
            reportArgs.add("--fail-on-flaky"); // in CI a reproduction caught in fewer than N of N runs fails the build
        }
        int code = ReportsCli.execute(out, err, reportArgs.toArray(String[]::new));
        List<String> failedTests = new ArrayList<>();
        surefire.forEach(dir -> failedTests.addAll(failedTests(dir)));
        failedTests.forEach(line -> err.println("test failed: " + line));
        if (code != ReportsCli.OK) {
            throw new GateFailure(code == ReportsCli.REGRESSION
                    ? "stress checks regressed (one line each above); the report was written anyway"
                    : "the stress report could not be written (see the error above)");
        }
        if (!failedTests.isEmpty()) {
            throw new GateFailure(failedTests.size() + " stress-module test(s) failed (one line each above); the "
                    + "report was written anyway");
        }
    }

    /** "Class.method: message" for every failed or errored test case in a Surefire report folder. */
    static List<String> failedTests(Path dir) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList()) {
                Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f.toFile());
                NodeList cases = doc.getElementsByTagName("testcase");
                for (int i = 0; i < cases.getLength(); i++) {
                    Element c = (Element) cases.item(i);
                    for (String kind : List.of("failure", "error")) {
                        NodeList problems = c.getElementsByTagName(kind);
                        if (problems.getLength() > 0) {
                            String msg = ((Element) problems.item(0)).getAttribute("message");
                            out.add(c.getAttribute("classname") + "." + c.getAttribute("name") + ": "
                                    + firstLine(msg));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            out.add("unreadable Surefire report in " + dir + ": " + e.getMessage());
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 299) + "…" : line;
    }

    /** The build-failing signal: a message, no stack trace. */
    static final class GateFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GateFailure(String message) {
            super(message, null, false, false);
        }
    }
}
