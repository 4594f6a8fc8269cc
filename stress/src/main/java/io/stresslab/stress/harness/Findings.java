package io.stresslab.stress.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a judge found: each violated obligation of the contract with the detail that shows it. A judge is the same for
 * every implementation it judges; it never knows which verdict is expected. No finding means the bug was not observed.
 */
public final class Findings {
    /** One violated obligation and what showed it. */
    public record Finding(String obligation, String detail) {
        public String line() {
            return obligation + ": " + detail;
        }
    }

    private final List<Finding> found = new ArrayList<>();

    /** Records that {@code obligation} was violated, as {@code detail} shows. */
    public Findings add(String obligation, String detail) {
        found.add(new Finding(obligation, detail));
        return this;
    }

    /** Records a violation of {@code obligation} when {@code violated}; the detail is only built then. */
    public Findings check(boolean violated, String obligation, Supplier<String> detail) {
        if (violated) {
            add(obligation, detail.get());
        }
        return this;
    }

    /** Whether the bug was observed: any obligation violated. */
    public boolean any() {
        return !found.isEmpty();
    }

    public List<Finding> list() {
        return List.copyOf(found);
    }

    /** The findings as lines, for summaries and evidence. */
    public List<String> lines() {
        return found.stream().map(Finding::line).toList();
    }

    /**
     * The observation of these findings: the bug is observed exactly when there is a finding; the summary is
     * {@code work} followed by the findings (or by {@code clean} when there are none); the findings go to the
     * evidence.
     */
    public Observation observe(String work, String clean) {
        Observation o = Observation.of(any(), work + "; " + (any() ? String.join("; ", lines()) : clean));
        if (any()) {
            o.evidence("findings", lines());
        }
        return o;
    }
}
