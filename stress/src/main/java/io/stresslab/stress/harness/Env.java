package io.stresslab.stress.harness;

import java.util.Arrays;
import java.util.List;

/**
 * What a check gives a factory to build the implementation under test with: a few typed values (a
 * {@link io.stresslab.core.db.Database}, a {@link java.time.Clock}, a lease {@link java.time.Duration}, a store…).
 * Our variants pick what they need by type; a user's class gets them through its public constructor
 * ({@link UserImplementations#instantiate}).
 */
public final class Env {
    private final List<Object> values;

    private Env(List<Object> values) {
        this.values = values;
    }

    public static Env of(Object... values) {
        return new Env(Arrays.stream(values).filter(v -> v != null).toList());
    }

    /** The first value of {@code type}; fails when the check supplied none. */
    public <T> T get(Class<T> type) {
        return values.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("this check supplies no " + type.getSimpleName()));
    }

    public Object[] values() {
        return values.toArray();
    }
}
