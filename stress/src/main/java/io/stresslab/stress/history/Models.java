package io.stresslab.stress.history;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The shipped models by name (as {@code stresslab check --model} takes them) and the strict output readers they
 * share.
 */
public final class Models {
    /** Every name {@link #byName} accepts. */
    public static final List<String> NAMES = List.of("register", "cas-register", "kv", "set", "queue", "counter",
            "lease", "execute-once");

    private Models() {
    }

    /** The model called {@code name} (see {@link #NAMES}); registers start at {@code initial}. */
    public static Model<?> byName(String name, Value initial) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "register" -> RegisterModel.readWrite(initial);
            case "cas-register" -> RegisterModel.casRegister(initial);
            case "kv" -> new KvModel(initial);
            case "set" -> new SetModel();
            case "queue" -> new QueueModel();
            case "counter" -> new CounterModel();
            case "lease" -> new LeaseModel();
            case "execute-once" -> new ExecuteOnceModel();
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; models: "
                    + String.join(", ", NAMES));
        };
    }

    /** A boolean output: {@code true}/{@code false}, as a boolean or exactly that text — anything else is an error. */
    static boolean bool(Op op) {
        Value v = op.output();
        if (v instanceof Value.Bool b) {
            return b.value();
        }
        if (v instanceof Value.Str s && (s.value().equals("true") || s.value().equals("false"))) {
            return s.value().equals("true");
        }
        throw new IllegalArgumentException(op.name() + " result must be true or false, got " + v.show());
    }

    /** An integer: an integer value or its decimal text. */
    static long integer(Op op, Value v, String what) {
        if (v instanceof Value.Int i) {
            return i.value();
        }
        if (v instanceof Value.Str s) {
            try {
                return Long.parseLong(s.value().trim());
            } catch (NumberFormatException e) {
                // fall through to the error
            }
        }
        throw new IllegalArgumentException(op.name() + " " + what + " must be an integer, got " + v.show());
    }

    /** Fails unless {@code op}'s name is one of {@code names}. */
    static void known(String model, Op op, Set<String> names) {
        if (!names.contains(op.name())) {
            throw new IllegalArgumentException(model + " model has no operation '" + op.name() + "' (it has "
                    + String.join(", ", names.stream().sorted().toList()) + ")");
        }
    }

    /** Fails if a completed (OK) op has no output. */
    static void hasOutput(Op op) {
        if (op.status() == Op.Status.OK && op.output().isUnknown()) {
            throw new IllegalArgumentException(op.name() + " completed ok without a value");
        }
    }

    /** Fails if the op has no input. */
    static void hasInput(Op op, int args) {
        for (int i = 0; i < args; i++) {
            op.argValue(i);
        }
    }
}
