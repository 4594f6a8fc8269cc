package io.stresslab.stress.harness;

import java.util.List;
import java.util.function.Function;

/**
 * One contract of a bug class — a public interface in core whose javadoc states every obligation — with our
 * implementations of it and the checks that test every obligation. {@link #checksFor} is the same for every subject:
 * ours, a user's class, a mutant.
 *
 * @param type         the interface to implement
 * @param constructors in words, the public constructors a user's class may have, e.g. {@code "(Clock) or ()"}
 * @param ours         our implementations (the catalogue's variants of this contract)
 * @param checks       every check of the contract, for one subject
 */
public record Contract<I>(String bug, Class<I> type, String constructors, List<Subject<I>> ours,
                          Function<Subject<I>, List<CheckSpec>> checks) {
    public Contract {
        ours = List.copyOf(ours);
    }

    public List<CheckSpec> checksFor(Subject<I> subject) {
        return checks.apply(subject);
    }

    /** The checks of a user's class {@code className}, which must implement {@link #type}. */
    public List<CheckSpec> checksForUser(String className) {
        return checksFor(Subject.user(bug, type, className));
    }

    /** Every check of every one of our implementations. */
    public List<CheckSpec> checksOfOurs() {
        return ours.stream().flatMap(s -> checksFor(s).stream()).toList();
    }
}
