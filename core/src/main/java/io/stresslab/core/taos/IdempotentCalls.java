package io.stresslab.core.taos;

import java.util.concurrent.Callable;

/** Argument checks and handler invocation shared by the in-memory idempotency caches (TAOS-1 before and after). */
final class IdempotentCalls {
    static final int MAX_FINGERPRINT_LENGTH = 128;

    private IdempotentCalls() {
    }

    static void requireArguments(IdempotencyKey key, String fingerprint, Callable<StoredResponse> handler) {
        if (handler == null) {
            throw new IllegalArgumentException("handler must not be null");
        }
        requireKey(key, fingerprint);
    }

    static void requireKey(IdempotencyKey key, String fingerprint) {
        if (key == null) {
            throw new IllegalArgumentException("Idempotency-Key must not be null");
        }
        if (fingerprint == null || fingerprint.isEmpty()) {
            throw new IllegalArgumentException("request fingerprint must not be empty");
        }
        if (fingerprint.length() > MAX_FINGERPRINT_LENGTH) {
            throw new IllegalArgumentException("request fingerprint is " + fingerprint.length()
                    + " characters; at most " + MAX_FINGERPRINT_LENGTH + " allowed");
        }
    }

    /**
     * Runs the handler. A returned response (success or error status) is the request's result; a thrown exception or
     * a null response means there is none, reported as {@link IdempotencyException.Reason#HANDLER_FAILED}.
     */
    static StoredResponse call(IdempotencyKey key, Callable<StoredResponse> handler) {
        StoredResponse response;
        try {
            response = handler.call();
        } catch (Exception e) {
            throw handlerFailed(key, e);
        }
        if (response == null) {
            throw handlerFailed(key, null);
        }
        return response;
    }

    static IdempotencyException handlerFailed(IdempotencyKey key, Throwable cause) {
        String why = cause == null ? "returned no response" : "failed (" + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage().lines().findFirst().orElse("")) + ")";
        return new IdempotencyException(IdempotencyException.Reason.HANDLER_FAILED, "the request with Idempotency-Key '"
                + key.key() + "' " + why + "; nothing was stored, retry", cause);
    }

    static IdempotencyException keyReused(IdempotencyKey key) {
        return new IdempotencyException(IdempotencyException.Reason.KEY_REUSED, "Idempotency-Key '" + key.key()
                + "' was already used for a different request to " + key.method() + " " + key.path(), null);
    }
}
