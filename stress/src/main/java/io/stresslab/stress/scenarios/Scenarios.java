package io.stresslab.stress.scenarios;

import io.stresslab.stress.harness.CheckSpec;
import io.stresslab.stress.harness.Contract;
import io.stresslab.stress.harness.Expect;
import io.stresslab.stress.harness.Subject;
import io.stresslab.stress.harness.Scenario;
import io.stresslab.stress.harness.UserImplementations;
import io.stresslab.stress.scenarios.archon.Archon1Scenario;
import io.stresslab.stress.scenarios.kagent.Kagent1Scenario;
import io.stresslab.stress.scenarios.kagent.Kagent2Scenario;
import io.stresslab.stress.scenarios.molecule.Molecule1Scenario;
import io.stresslab.stress.scenarios.molecule.Molecule2Scenario;
import io.stresslab.stress.scenarios.orch.Orch1Scenario;
import io.stresslab.stress.scenarios.orch.Orch2Scenario;
import io.stresslab.stress.scenarios.taos.Taos1Scenario;
import io.stresslab.stress.scenarios.taos.Taos2Scenario;
import io.stresslab.stress.scenarios.taos.Taos3Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every scenario stresslab knows, in catalogue order (shared/BUGS.md). Each slice adds its scenarios here. */
public final class Scenarios {
    private Scenarios() {
    }

    public static List<Scenario> all() {
        return List.of(
                new Kagent1Scenario(),
                new Kagent2Scenario(),
                new Molecule1Scenario(),
                new Molecule2Scenario(),
                new Archon1Scenario(),
                new Orch1Scenario(),
                new Orch2Scenario(),
                new Taos1Scenario(),
                new Taos2Scenario(),
                new Taos3Scenario());
    }

    /** Looks scenarios up by id (case-insensitive); an unknown id fails with one line listing the known ones. */
    public static List<Scenario> select(List<String> ids) {
        Map<String, Scenario> byId = new LinkedHashMap<>();
        all().forEach(s -> byId.put(s.bug().toUpperCase(Locale.ROOT), s));
        if (ids == null || ids.isEmpty()) {
            return all();
        }
        List<Scenario> out = new ArrayList<>();
        for (String id : ids) {
            Scenario s = byId.get(id.trim().toUpperCase(Locale.ROOT));
            if (s == null) {
                throw new IllegalArgumentException("unknown scenario '" + id.trim() + "'; known: "
                        + String.join(", ", byId.keySet()));
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Every check of {@code scenario} for a user's class: the checks of each of the scenario's contracts the class
     * implements. Fails with one line when the class is missing or implements none of them.
     */
    public static List<CheckSpec> userChecks(Scenario scenario, String className) {
        List<Contract<?>> contracts = scenario.contracts();
        String types = contracts.stream().map(c -> c.type().getName()).toList().toString();
        if (className.isBlank()) {
            throw new IllegalArgumentException("--impl " + scenario.bug() + "=CLASS needs a class implementing one of "
                    + types);
        }
        Class<?> c = UserImplementations.load(className, Object.class);
        List<CheckSpec> checks = new ArrayList<>();
        for (Contract<?> contract : contracts) {
            if (contract.type().isAssignableFrom(c)) {
                checks.addAll(contract.checksForUser(className));
            }
        }
        if (checks.isEmpty()) {
            throw new IllegalArgumentException(className + " implements none of " + scenario.bug() + "'s contracts "
                    + types);
        }
        return checks;
    }

    /** The contract of {@code bug} whose interface is {@code type}; fails with one line if there is none. */
    @SuppressWarnings("unchecked")
    public static <I> Contract<I> contract(String bug, Class<I> type) {
        Scenario s = select(List.of(bug)).get(0);
        return (Contract<I>) s.contracts().stream().filter(c -> c.type().equals(type)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(bug + " has no contract " + type.getName()));
    }

    /**
     * Rebuilds, in another JVM (a campaign worker), the subject a check named with {@link Subject#remoteId()}: a class
     * ({@code class:<name>}) or one of our variants of {@code bug}'s contract {@code type} ({@code variant:<name>}).
     */
    public static <I> Subject<I> remote(String bug, Class<I> type, String remoteId) {
        if (remoteId.startsWith("class:")) {
            return Subject.ofClass(bug, "remote", Expect.HOLD, type, remoteId.substring("class:".length()));
        }
        String name = remoteId.startsWith("variant:") ? remoteId.substring("variant:".length()) : remoteId;
        return contract(bug, type).ours().stream().filter(s -> s.variant().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no variant '" + name + "' of " + bug + " "
                        + type.getSimpleName()));
    }
}
