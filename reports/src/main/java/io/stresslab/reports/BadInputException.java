package io.stresslab.reports;

/** Input the report cannot use (a missing file, malformed JSON); the message is one line for the user. */
public final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }
}
