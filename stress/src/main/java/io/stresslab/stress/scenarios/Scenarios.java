package io.stresslab.stress.scenarios;

import io.stresslab.stress.harness.Scenario;
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
}
