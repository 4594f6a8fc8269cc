package io.stresslab.core.taos;

/** The response an idempotent request produced (success or error), replayed to every caller with the same key. */
public record StoredResponse(int status, String body) {
}
