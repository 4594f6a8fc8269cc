package io.stresslab.stress.campaign;

/** A fault the coordinator injected: what, to which worker, when (ms after the go), and what it did. */
public record FaultEvent(String kind, int worker, long atMillis, String detail) {
    public String describe() {
        return kind + " worker " + worker + " at +" + atMillis + " ms: " + detail;
    }
}
