package io.stresslab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stresslab.core.Catalogue;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/** The benchmarks and the ratio tables name every bug and variant as the catalogue does. */
class VariantNamesTest {
    /** What a benchmark may run beside the catalogue's variants: the cheapest thing the pair could cost. */
    private static final Set<String> BASELINES = Set.of("ceiling", RatioTable.FLOOR);

    @Test
    void everyPairNamesCataloguedVariants() {
        for (RatioTable.Pair p : RatioTable.PAIRS) {
            Catalogue.Bug bug = Catalogue.bug(p.bug().replace(" (as merged)", ""));
            bug.variant(p.before()); // fails with the known names
            bug.variant(p.after());
            assertEquals(Catalogue.Side.BEFORE, bug.variant(p.before()).side(), p + ": the before side");
            assertTrue(BASELINES.contains(p.ceiling()), p + ": the ceiling");
        }
    }

    @Test
    void everyBenchmarkVariantParameterIsCatalogued() throws Exception {
        List<String> unknown = new ArrayList<>();
        for (RatioTable.Pair p : RatioTable.PAIRS) {
            Class<?> c = Class.forName("io.stresslab.bench." + p.benchmarkClass());
            Catalogue.Bug bug = Catalogue.bug(p.bug().replace(" (as merged)", ""));
            Field f = c.getDeclaredField("variant");
            for (String v : f.getAnnotation(Param.class).value()) {
                if (!BASELINES.contains(v) && bug.variants().stream().noneMatch(x -> x.name().equals(v))) {
                    unknown.add(c.getSimpleName() + ": " + v);
                }
            }
        }
        assertTrue(unknown.isEmpty(), "benchmark variants not in the catalogue: " + unknown);
    }
}
