package io.stresslab.stress.harness;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a check is expected to show: that the bug is observed (a before variant) or that it is absent (an after
 * variant).
 */
public enum Expect {
    /** The before variant: the check passes only if the bug is observed. */
    REPRODUCE("reproduce"),
    /** The after variant: the check passes only if the bug is absent over the stated amount of work. */
    HOLD("hold");

    private final String json;

    Expect(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
