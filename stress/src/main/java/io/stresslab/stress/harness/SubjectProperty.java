package io.stresslab.stress.harness;

import java.util.concurrent.atomic.AtomicReference;

/**
 * How a test that a tool instantiates by itself — a jcstress test in a forked VM, a Lincheck test class in this one —
 * builds the implementation under test: from system property {@value #NAME} (a {@link Subject#remoteId()} of the form
 * {@code class:<name>}, set by {@link JcstressRunner#runFor}) or, in this JVM, from the subject installed with
 * {@link #install}. The test itself is the same for every implementation.
 */
public final class SubjectProperty {
    public static final String NAME = "stresslab.subject";
    private static final AtomicReference<Subject<?>> CURRENT = new AtomicReference<>();

    private SubjectProperty() {
    }

    /** Builds the current subject as a {@code contract}, giving its constructor {@code env}. */
    public static <I> I create(Class<I> contract, Object... env) {
        Subject<?> local = CURRENT.get();
        try {
            if (local != null) {
                return contract.cast(local.create(Env.of(env)));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot build " + local.variant() + ": " + e, e);
        }
        String id = System.getProperty(NAME, "");
        if (!id.startsWith("class:")) {
            throw new IllegalStateException("no implementation under test: system property " + NAME
                    + " must be class:<name>, was '" + id + "'");
        }
        return UserImplementations.instantiate(id.substring("class:".length()), contract, env);
    }

    /** Makes {@code subject} the one {@link #create} builds in this JVM until the returned handle is closed. */
    public static Installed install(Subject<?> subject) {
        synchronized (SubjectProperty.class) {
            if (!CURRENT.compareAndSet(null, subject)) {
                throw new IllegalStateException("a subject is already installed: " + CURRENT.get().variant());
            }
        }
        return () -> CURRENT.set(null);
    }

    /**
     * Marks a jcstress test whose state builds the implementation under test with {@link #create}: it runs in a fork
     * of its own per subject ({@link JcstressRunner#runFor}), never in a batch of other tests.
     */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    public @interface PerSubject {
    }

    /** Uninstalls the subject. */
    public interface Installed extends AutoCloseable {
        @Override
        void close();
    }
}
