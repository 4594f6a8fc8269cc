package io.stresslab.stress.harness;

import java.util.List;

/** One catalogued bug (shared/BUGS.md) and every check of its before and after variants. */
public interface Scenario {
    /** The stable id, e.g. {@code KAGENT-1}. */
    String bug();

    /** One line: what goes wrong. */
    String title();

    List<CheckSpec> checks();
}
