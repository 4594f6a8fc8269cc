package io.stresslab.stress.harness;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Builds a class that is not ours — a team's ({@code stresslab run --impl BUG=com.acme.MyStore}, the kit), a mutant, an
 * alternative — by reflection through the public constructor whose parameters a check can supply
 * ({@link Subject#ofClass}).
 */
public final class UserImplementations {
    /** The variant-name prefix of checks run against a user's class: {@code user:com.acme.MyStore}. */
    public static final String PREFIX = "user:";

    private UserImplementations() {
    }

    /** Loads {@code className} and checks it implements {@code iface}; fails with one line otherwise. */
    public static Class<?> load(String className, Class<?> iface) {
        Class<?> c;
        try {
            c = Class.forName(className, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("class " + className + " not found on the class path (add its jar "
                    + "with --classpath)");
        }
        if (!iface.isAssignableFrom(c) || c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
            throw new IllegalArgumentException(className + " must be a concrete class implementing "
                    + iface.getName());
        }
        return c;
    }

    /**
     * Creates {@code className} through the public constructor with the most parameters that {@code available}
     * can fill (each parameter takes the first available argument of a compatible type that no earlier parameter
     * took, else the first compatible one: {@code (Duration lease, Duration ttl)} fill in the order supplied).
     */
    public static <T> T instantiate(String className, Class<T> iface, Object... available) {
        Class<?> c = load(className, iface);
        Constructor<?>[] ctors = c.getConstructors();
        Arrays.sort(ctors, Comparator.comparingInt((Constructor<?> k) -> k.getParameterCount()).reversed());
        for (Constructor<?> ctor : ctors) {
            Object[] args = fill(ctor.getParameterTypes(), available);
            if (args != null) {
                try {
                    return iface.cast(ctor.newInstance(args));
                } catch (InvocationTargetException e) {
                    throw new IllegalArgumentException("constructing " + className + " failed: "
                            + e.getCause(), e.getCause());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalArgumentException("cannot construct " + className + ": " + e.getMessage(), e);
                }
            }
        }
        throw new IllegalArgumentException(className + " has no public constructor taking any of "
                + Arrays.stream(available).map(a -> a.getClass().getSimpleName()).toList() + " (or none)");
    }

    /** Each parameter takes the first compatible argument not taken yet (so two Durations fill in order), else any. */
    private static Object[] fill(Class<?>[] types, Object[] available) {
        Object[] args = new Object[types.length];
        boolean[] taken = new boolean[available.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            int pick = -1;
            for (int a = 0; a < available.length && pick < 0; a++) {
                pick = !taken[a] && t.isInstance(available[a]) ? a : -1;
            }
            args[i] = pick >= 0 ? available[pick]
                    : Arrays.stream(available).filter(t::isInstance).findFirst().orElse(null);
            if (args[i] == null) {
                return null;
            }
            if (pick >= 0) {
                taken[pick] = true;
            }
        }
        return args;
    }
}
