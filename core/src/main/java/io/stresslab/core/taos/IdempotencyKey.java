package io.stresslab.core.taos;

import java.util.Objects;

/**
 * An Idempotency-Key header value scoped by (method, path, principal), so the same header sent to two endpoints or by
 * two users never collides (TAOS-1). The raw key must be 1–255 characters.
 */
public record IdempotencyKey(String method, String path, String principal, String key) {
    public static final int MAX_KEY_LENGTH = 255;

    public IdempotencyKey {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(principal, "principal");
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("Idempotency-Key must not be empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("Idempotency-Key is " + key.length() + " characters; at most "
                    + MAX_KEY_LENGTH + " allowed");
        }
    }

    /** The scope and key as one string, e.g. for a database primary key. */
    public String scoped() {
        return method + " " + path + " " + principal + " " + key;
    }
}
