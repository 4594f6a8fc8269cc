package io.stresslab.core.archon;

/**
 * ARCHON-1 after's slot: both fields volatile, the context written before the flag, so the flag's volatile write
 * happens-after the context's and a reader that sees the flag also sees the context.
 */
public final class VolatileContextSlot implements ContextSlot {
    private volatile ArchonContext context;
    private volatile boolean initialized;

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
}
