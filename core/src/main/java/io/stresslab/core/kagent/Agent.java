package io.stresslab.core.kagent;

import java.util.Objects;

/** An Agent resource as the controller stores it: {@code agents(id PK, type, config)}. */
public record Agent(String id, String type, String config) {
    public Agent {
        KagentStore.requireKey("agent id", id);
        Objects.requireNonNull(type, "type");
    }
}
