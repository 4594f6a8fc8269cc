package io.stresslab.stress.cli;

import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.scenarios.Scenarios;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code stresslab list}: every scenario, its contracts (what {@code --impl} takes) and its checks. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the scenarios and their checks.")
final class ListCommand implements Runnable {
    @Override
    public void run() {
        for (Scenario s : Scenarios.all()) {
            System.out.println(s.bug() + " — " + s.title());
            s.contracts().forEach(k -> System.out.println("    contract " + k.type().getName() + ", constructor "
                    + k.constructors() + "  (--impl " + s.bug() + "=YourClass)"));
            for (CheckSpec c : s.checks()) {
                String dbs = c.needsDatabase() ? c.databases().stream().map(k -> k.id()).sorted()
                        .collect(Collectors.joining(",")) : "none";
                System.out.printf("    %-9s %-30s %-12s %-28s on %s%n", c.expect().json(), c.variant(),
                        c.tool().json(), c.check(), dbs);
            }
        }
    }
}
