package io.stresslab.stress.harness;

import io.stresslab.core.Catalogue;
import io.stresslab.core.SupportedEngines;
import io.stresslab.core.db.DbKind;
import java.util.EnumSet;
import java.util.Set;

/**
 * One implementation of a bug's contract under test — one of ours (a catalogued variant), a user's class
 * ({@code --impl}, the JUnit kit) or a mutant of the mutation suite — with what its checks must show and how to make
 * one. Every check of a contract runs the same workload and judge on every subject; only {@link #expect} differs.
 *
 * @param engines   the database engines the implementation supports; a database check on another engine is
 *                  recorded skipped with that reason
 * @param className the class built through its public constructor ({@link UserImplementations#instantiate}), or
 *                  null when the factory does more; another JVM (a jcstress fork, a campaign worker) rebuilds the
 *                  subject from {@link #remoteId()}
 */
public record Subject<I>(String bug, String variant, Expect expect, Factory<I> factory, Set<DbKind> engines,
                         String className) {

    /** Builds one instance from what the check supplies. */
    @FunctionalInterface
    public interface Factory<I> {
        I create(Env env) throws Exception;
    }

    public Subject {
        engines = engines.isEmpty() ? EnumSet.allOf(DbKind.class) : EnumSet.copyOf(engines);
    }

    /** Our catalogued variant {@code name}: its expectation comes from the catalogue's side. */
    public static <I> Subject<I> ours(String bug, String name, Factory<I> factory) {
        Catalogue.Variant v = Catalogue.variant(bug, name);
        return new Subject<>(bug, name, v.side() == Catalogue.Side.BEFORE ? Expect.REPRODUCE : Expect.HOLD, factory,
                Set.of(), null);
    }

    /** Our catalogued variant {@code name}, a class built through its public constructor (so jcstress can too). */
    public static <I> Subject<I> ours(String bug, String name, Class<I> contract, Class<? extends I> impl) {
        Subject<I> catalogued = ours(bug, name,
                env -> UserImplementations.instantiate(impl.getName(), contract, env.values()));
        return new Subject<>(bug, name, catalogued.expect(), catalogued.factory(), Set.of(), impl.getName());
    }

    /**
     * A user's class implementing {@code contract}: it must hold. Made through its public constructor with the most
     * parameters the check can fill; {@link SupportedEngines} on the class narrows the engines.
     */
    public static <I> Subject<I> user(String bug, Class<I> contract, String className) {
        return ofClass(bug, UserImplementations.PREFIX + className, Expect.HOLD, contract, className);
    }

    /**
     * A wrong implementation of the mutation suite, a class implementing {@code contract}: some check must catch it.
     */
    public static <I> Subject<I> mutant(String bug, Class<I> contract, Class<? extends I> wrong) {
        return ofClass(bug, CheckSpec.MUTANT_PREFIX + wrong.getSimpleName(), Expect.REPRODUCE, contract,
                wrong.getName());
    }

    /** A correct implementation that differs from ours (the mutation suite's control): it must hold. */
    public static <I> Subject<I> alternative(String bug, Class<I> contract, Class<? extends I> right) {
        return ofClass(bug, CheckSpec.ALTERNATIVE_PREFIX + right.getSimpleName(), Expect.HOLD, contract,
                right.getName());
    }

    /** A subject built through a class's public constructor. */
    public static <I> Subject<I> ofClass(String bug, String variant, Expect expect, Class<I> contract,
                                         String className) {
        Class<?> c = UserImplementations.load(className, contract);
        return new Subject<>(bug, variant, expect, env -> UserImplementations.instantiate(className, contract,
                env.values()), enginesOf(c), className);
    }

    /**
     * How another JVM names this subject: {@code class:<name>} when it is built from a class, else
     * {@code variant:<name>} (one of ours, looked up in the scenarios there).
     */
    public String remoteId() {
        return className != null ? "class:" + className : "variant:" + variant;
    }

    public I create(Env env) throws Exception {
        return factory.create(env);
    }

    private static Set<DbKind> enginesOf(Class<?> c) {
        SupportedEngines a = c.getAnnotation(SupportedEngines.class);
        return a == null ? Set.of() : Set.of(a.value());
    }
}
