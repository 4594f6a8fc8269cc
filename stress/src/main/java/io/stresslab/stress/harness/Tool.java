package io.stresslab.stress.harness;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which kind of check produced a record; the columns of the report's detection matrix. */
public enum Tool {
    JCSTRESS("jcstress"),
    LINCHECK("lincheck"),
    LIVENESS("liveness"),
    /** Many real threads in one JVM against an in-memory object (no database). */
    THREADS("threads"),
    DATABASE("database"),
    MULTI_WORKER("multi-worker");

    private final String json;

    Tool(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
