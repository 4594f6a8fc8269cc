package io.stresslab.core.archon;

/**
 * Where a lifespan keeps the shared context and its {@code initialized} flag (the Python module's two globals). The
 * invariant a reader relies on: once it sees {@code initialized() == true}, {@code context()} is not null.
 * ARCHON-1's second contract, for the lifespan's fast path, which reads the slot without a lock.
 *
 * <p>Construction: a public constructor {@code ()}.
 *
 * <p>Obligation, tested by stresslab's ARCHON-1 checks {@code context-publication-interleavings} (Lincheck) and
 * {@code context-publication} (jcstress):
 * <ol>
 *   <li><b>safe-publication</b>: a thread that sees {@code initialized() == true} while another thread publishes
 *       sees the published context — under every interleaving and under the Java memory model.</li>
 * </ol>
 * Implementation: {@link VolatileContextSlot} (after); {@link #plain()} is the before lifespan's slot (its reordering
 * is allowed by the JMM but not seen on x86, so no check asserts it).
 */
public interface ContextSlot {
    /** Publishes {@code context}, then sets the flag. */
    void publish(ArchonContext context);

    boolean initialized();

    ArchonContext context();

    /**
     * ARCHON-1 before: plain fields, as the Python globals are. Written context-then-flag, but nothing orders the
     * two stores for another thread, so under the Java memory model a reader may see the flag set and the context
     * still null.
     */
    static ContextSlot plain() {
        return new ContextSlot() {
            private ArchonContext context;
            private boolean initialized;

            @Override
            public void publish(ArchonContext c) {
                context = c;
                initialized = true;
            }

            @Override
            public boolean initialized() {
                return initialized;
            }

            @Override
            public ArchonContext context() {
                return context;
            }
        };
    }

    /**
     * ARCHON-1 after: both fields volatile, the context written before the flag, so the flag's volatile write
     * happens-after the context's and a reader that sees the flag also sees the context.
     */
    static ContextSlot published() {
        return new VolatileContextSlot();
    }
}
