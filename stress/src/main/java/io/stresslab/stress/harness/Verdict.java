package io.stresslab.stress.harness;

import com.fasterxml.jackson.annotation.JsonValue;

/** The outcome of one check, as written to its record. */
public enum Verdict {
    /** expect=reproduce and the bug was observed. */
    REPRODUCED("reproduced", true),
    /** expect=reproduce and the bug was not observed: the reproduction stopped reproducing. */
    NOT_REPRODUCED("not-reproduced", false),
    /** expect=hold and the bug was absent over the stated work. */
    HELD("held", true),
    /** expect=hold and the bug was observed: the fix regressed. */
    VIOLATED("violated", false),
    /** The check could not run here (for example no PostgreSQL configured); the reason is in the record. */
    SKIPPED("skipped", true),
    /** The check itself failed to run (an unexpected exception); the reason is in the record. */
    ERROR("error", false);

    private final String json;
    private final boolean passing;

    Verdict(String json, boolean passing) {
        this.json = json;
        this.passing = passing;
    }

    @JsonValue
    public String json() {
        return json;
    }

    /** Whether this verdict lets the build pass. */
    public boolean passing() {
        return passing;
    }

    public static Verdict of(Expect expect, boolean bugObserved) {
        return switch (expect) {
            case REPRODUCE -> bugObserved ? REPRODUCED : NOT_REPRODUCED;
            case HOLD -> bugObserved ? VIOLATED : HELD;
        };
    }
}
