package io.stresslab.stress.campaign;

import java.util.Locale;

/**
 * One entry of a campaign's nemesis schedule: which fault hits which worker, when (ms after the go) and for how long.
 * The schedule is data in the {@link CampaignSpec}, drawn from the campaign seed when the spec is built (or given
 * explicitly), so it is printed in the record and the same {@code --seed} replays it.
 *
 * @param kind      the fault
 * @param worker    the worker it hits
 * @param atMillis  when, after the go
 * @param forMillis how long a pause, a freeze or a latency lasts (0 for instant faults); for {@link Kind#CLOCK_SKEW}
 *                  the offset of the worker's application clock, ahead if positive, behind if negative (from the start)
 */
public record Nemesis(Kind kind, int worker, long atMillis, long forMillis) {

    /** The fault kinds, by their command-line names. */
    public enum Kind {
        /** {@code kill -9} of the worker JVM. */
        KILL("kill-9"),
        /** {@code pg_terminate_backend} of the worker's sessions (PostgreSQL). */
        PG_TERMINATE("pg-terminate-backend"),
        /**
         * {@code SIGSTOP} of the worker JVM, {@code SIGCONT} after {@code forMillis}: it wakes believing nothing
         * happened.
         */
        PAUSE("pause"),
        /** The worker's database connections freeze (bytes held both ways) for {@code forMillis}, then flow again. */
        NET_FREEZE("net-freeze"),
        /** Every byte between the worker and the database waits the spec's latency each way, for {@code forMillis}. */
        NET_LATENCY("net-latency"),
        /** Every database connection of the worker is reset at once, with a COMMIT of a write in flight. */
        NET_RESET("net-reset"),
        /** The next reply to a committed write of the worker is dropped and its connection cut: applied, not told. */
        NET_CUT_COMMIT("net-cut-commit"),
        /** The worker's application clock ({@link WorkerContext#clock()}) runs {@code forMillis} off, all run long. */
        CLOCK_SKEW("clock-skew");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** Whether the fault goes through the worker's network proxy (PostgreSQL only). */
        public boolean network() {
            return this == NET_FREEZE || this == NET_LATENCY || this == NET_RESET || this == NET_CUT_COMMIT;
        }

        public static Kind of(String label) {
            for (Kind k : values()) {
                if (k.label.equals(label.trim().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown nemesis kind '" + label + "'");
        }
    }

    public Nemesis {
        if (worker < 0 || atMillis < 0 || (kind != Kind.CLOCK_SKEW && forMillis < 0)) {
            throw new IllegalArgumentException("bad nemesis entry: " + kind + " worker " + worker + " at " + atMillis
                    + " for " + forMillis);
        }
    }

    /** {@code pause worker 1 at +1,200 ms for 1,500 ms}. */
    public String describe() {
        String what = kind.label() + " worker " + worker;
        return switch (kind) {
            case CLOCK_SKEW -> what + ": clock " + (forMillis >= 0 ? "+" : "") + forMillis + " ms all run";
            case PAUSE, NET_FREEZE, NET_LATENCY -> what + " at +" + atMillis + " ms for " + forMillis + " ms";
            default -> what + " at +" + atMillis + " ms";
        };
    }
}
