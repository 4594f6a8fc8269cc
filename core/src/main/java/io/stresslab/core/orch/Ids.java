package io.stresslab.core.orch;

/** Validation of the identifiers the orchestrator's stores accept: non-blank, at most 200 characters. */
final class Ids {
    static final int MAX_LENGTH = 200;

    private Ids() {
    }

    static String require(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " is " + value.length() + " characters; at most " + MAX_LENGTH
                    + " allowed");
        }
        return value;
    }
}
