package io.stresslab.stress.mutants;

import io.stresslab.core.archon.ArchonContext;
import io.stresslab.core.archon.ArchonServices;
import io.stresslab.core.archon.ContextSlot;
import io.stresslab.core.archon.EventLoop;
import io.stresslab.core.archon.Lifespan;
import io.stresslab.stress.harness.Subject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * ARCHON-1's mutation suite: lifespans (and a context slot) with the mistakes real teams make, and a correct lifespan
 * that differs from ours. Each lifespan has the contract's {@code (EventLoop, ArchonServices)} constructor.
 */
public final class Archon1Mutants {
    private static final String BUG = "ARCHON-1";

    private Archon1Mutants() {
    }

    public static List<Subject<Lifespan>> lifespans() {
        return List.of(
                Subject.mutant(BUG, Lifespan.class, InitPerSession.class),
                Subject.mutant(BUG, Lifespan.class, BlocksLoopOnFutureGet.class),
                Subject.mutant(BUG, Lifespan.class, ReentrantLockAcrossAwait.class),
                Subject.mutant(BUG, Lifespan.class, HealthCheckNotAwaited.class));
    }

    public static List<Subject<Lifespan>> correctLifespans() {
        return List.of(Subject.alternative(BUG, Lifespan.class, SingleFlightFuture.class));
    }

    public static List<Subject<ContextSlot>> slots() {
        return List.of(Subject.mutant(BUG, ContextSlot.class, FlagBeforeContext.class));
    }

    /** Initializes the context: the two factories, then the awaited health check. */
    static CompletableFuture<ArchonContext> init(ArchonServices services) {
        Object manager = services.newSessionManager();
        Object client = services.newServiceClient();
        return services.healthCheck(client).thenApply(ok -> new ArchonContext(manager, client));
    }

    /** No sharing at all: every session makes its own context. */
    public static final class InitPerSession implements Lifespan {
        private final ArchonServices services;

        public InitPerSession(EventLoop loop, ArchonServices services) {
            this.services = services;
        }

        @Override
        public <T> CompletableFuture<T> session(Function<ArchonContext, ? extends CompletionStage<T>> body) {
            return init(services).thenCompose(body);
        }
    }

    /** One shared initialization future, confined to the loop, started again when it failed. */
    abstract static class SharedInit implements Lifespan {
        private final ArchonServices services;
        private CompletableFuture<ArchonContext> shared;

        SharedInit(ArchonServices services) {
            this.services = services;
        }

        CompletableFuture<ArchonContext> shared() {
            if (shared == null || shared.isCompletedExceptionally()) {
                shared = init(services);
            }
            return shared;
        }
    }

    /** Shares one initialization, but waits for it with {@code get()} on the loop thread — which must complete it. */
    public static final class BlocksLoopOnFutureGet extends SharedInit {
        public BlocksLoopOnFutureGet(EventLoop loop, ArchonServices services) {
            super(services);
        }

        @Override
        public <T> CompletableFuture<T> session(Function<ArchonContext, ? extends CompletionStage<T>> body) {
            try {
                return CompletableFuture.completedFuture(shared().get()).thenCompose(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(e);
            } catch (ExecutionException e) {
                return CompletableFuture.failedFuture(e.getCause());
            }
        }
    }

    /**
     * "Fixed" with a reentrant lock held across the await: the second session, on the same loop thread, re-enters it
     * and initializes a second time.
     */
    public static final class ReentrantLockAcrossAwait implements Lifespan {
        private final ArchonServices services;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile ArchonContext context;

        public ReentrantLockAcrossAwait(EventLoop loop, ArchonServices services) {
            this.services = services;
        }

        @Override
        public <T> CompletableFuture<T> session(Function<ArchonContext, ? extends CompletionStage<T>> body) {
            ArchonContext ready = context;
            if (ready != null) {
                return CompletableFuture.completedFuture(ready).thenCompose(body);
            }
            lock.lock(); // the same loop thread gets it again at once
            return init(services).whenComplete((c, e) -> {
                if (c != null) {
                    context = c;
                }
                lock.unlock();
            }).thenCompose(body);
        }
    }

    /** Publishes the context at once and checks its health in the background: a failed check is never seen. */
    public static final class HealthCheckNotAwaited implements Lifespan {
        private final ArchonServices services;
        private ArchonContext context;

        public HealthCheckNotAwaited(EventLoop loop, ArchonServices services) {
            this.services = services;
        }

        @Override
        public <T> CompletableFuture<T> session(Function<ArchonContext, ? extends CompletionStage<T>> body) {
            if (context == null) {
                context = new ArchonContext(services.newSessionManager(), services.newServiceClient());
                services.healthCheck(context.serviceClient()); // fire and forget
            }
            return CompletableFuture.completedFuture(context).thenCompose(body);
        }
    }

    /** Correct, and not ours: every session composes on the one shared initialization future. */
    public static final class SingleFlightFuture extends SharedInit {
        public SingleFlightFuture(EventLoop loop, ArchonServices services) {
            super(services);
        }

        @Override
        public <T> CompletableFuture<T> session(Function<ArchonContext, ? extends CompletionStage<T>> body) {
            return shared().thenCompose(body);
        }
    }

    /** Atomic fields, but the flag is set before the context: a reader can see the flag and no context. */
    public static final class FlagBeforeContext implements ContextSlot {
        private final AtomicReference<ArchonContext> context = new AtomicReference<>();
        private final AtomicBoolean initialized = new AtomicBoolean();

        @Override
        public void publish(ArchonContext c) {
            initialized.set(true);
            context.set(c);
        }

        @Override
        public boolean initialized() {
            return initialized.get();
        }

        @Override
        public ArchonContext context() {
            return context.get();
        }
    }
}
