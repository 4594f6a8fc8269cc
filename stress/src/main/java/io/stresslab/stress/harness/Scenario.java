package io.stresslab.stress.harness;

import io.stresslab.core.Catalogue;
import java.util.List;

/** One catalogued bug (shared/BUGS.md): its contracts, our implementations of them, and every check. */
public interface Scenario {
    /** The stable id, e.g. {@code KAGENT-1}. */
    String bug();

    /** One line: what goes wrong, from the {@link Catalogue}. */
    default String title() {
        return Catalogue.bug(bug()).title();
    }

    /** The contracts of this bug class, with our implementations and their checks. */
    List<Contract<?>> contracts();

    /** Every check of every one of our implementations, for every contract. */
    default List<CheckSpec> checks() {
        return contracts().stream().flatMap(c -> c.checksOfOurs().stream()).toList();
    }
}
