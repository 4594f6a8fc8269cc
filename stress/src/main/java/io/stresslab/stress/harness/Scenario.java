package io.stresslab.stress.harness;

import io.stresslab.core.Catalogue;
import java.util.List;

/** One catalogued bug (shared/BUGS.md) and every check of its before and after variants. */
public interface Scenario {
    /** The stable id, e.g. {@code KAGENT-1}. */
    String bug();

    /** One line: what goes wrong, from the {@link Catalogue}. */
    default String title() {
        return Catalogue.bug(bug()).title();
    }

    /** The contracts of this bug class, with our implementations and their checks. */
    default List<Contract<?>> contracts() {
        return List.of();
    }

    /** Every check of every one of our implementations, for every contract. */
    default List<CheckSpec> checks() {
        return contracts().stream().flatMap(c -> c.checksOfOurs().stream()).toList();
    }
}
