package io.stresslab.stress.mutants;

import io.stresslab.core.kagent.Agent;
import io.stresslab.core.kagent.DesiredState;
import io.stresslab.core.kagent.KagentReconciler;
import io.stresslab.core.kagent.KagentStore;
import io.stresslab.core.kagent.McpTool;
import io.stresslab.core.kagent.McpToolsClient;
import io.stresslab.core.kagent.ReconcileQueue;
import io.stresslab.core.kagent.RemoteMcpServer;
import io.stresslab.core.kagent.ToolSetRefresh;
import io.stresslab.stress.harness.Subject;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * KAGENT-1's mutation suite: reconcilers (and work queues) with the mistakes real teams make, and a correct one of
 * each that differs from ours. Each reconciler has the contract's {@code (DesiredState, KagentStore, ToolSetRefresh,
 * McpToolsClient)} constructor; each queue {@code ()}.
 */
public final class Kagent1Mutants {
    private static final String BUG = "KAGENT-1";

    private Kagent1Mutants() {
    }

    public static List<Subject<KagentReconciler>> reconcilers() {
        return List.of(
                Subject.mutant(BUG, KagentReconciler.class, LockAcrossCallWithTimeout.class),
                Subject.mutant(BUG, KagentReconciler.class, StripedLocksSharedWithAgents.class),
                Subject.mutant(BUG, KagentReconciler.class, DropsAgentEventsWhileBusy.class),
                Subject.mutant(BUG, KagentReconciler.class, IgnoresAgentDeletes.class),
                Subject.mutant(BUG, KagentReconciler.class, OwnClientWithoutDeadline.class));
    }

    public static List<Subject<KagentReconciler>> correctReconcilers() {
        return List.of(Subject.alternative(BUG, KagentReconciler.class, WritesSerializedCallOutside.class));
    }

    @SuppressWarnings("rawtypes")
    public static List<Subject<ReconcileQueue>> queues() {
        return List.of(Subject.mutant(BUG, ReconcileQueue.class, NoDedupQueue.class),
                Subject.mutant(BUG, ReconcileQueue.class, DropsReAddWhileProcessing.class));
    }

    @SuppressWarnings("rawtypes")
    public static List<Subject<ReconcileQueue>> correctQueues() {
        return List.of(Subject.alternative(BUG, ReconcileQueue.class, MonitorQueue.class));
    }

    /** The shared steps: store or delete an agent, store a server's row, list its tools, store them. */
    abstract static class Base implements KagentReconciler {
        final DesiredState desired;
        final KagentStore store;
        final ToolSetRefresh refresh;
        final McpToolsClient client;

        Base(DesiredState desired, KagentStore store, ToolSetRefresh refresh, McpToolsClient client) {
            this.desired = desired;
            this.store = store;
            this.refresh = refresh;
            this.client = client;
        }

        void applyAgent(String name) {
            Optional<Agent> a = desired.agent(name);
            if (a.isPresent()) {
                store.storeAgent(a.get());
            } else {
                store.deleteAgent(name);
            }
        }

        /** Runs {@code step} holding {@code lock}. */
        static void locked(ReentrantLock lock, Step step) throws Exception {
            lock.lock();
            try {
                step.run();
            } finally {
                lock.unlock();
            }
        }

        void serverWithCall(String name, McpToolsClient c) throws Exception {
            Optional<RemoteMcpServer> s = desired.server(name);
            if (s.isPresent()) {
                store.storeToolServer(s.get().toolServer());
                List<McpTool> tools = c.listTools(s.get().url());
                refresh.refresh(s.get().toolServer(), tools);
                store.markConnected(s.get().toolServer());
            }
        }
    }

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /** One shared lock held across the remote call, "fixed" by the client's 1 s deadline: agents still wait for it. */
    public static final class LockAcrossCallWithTimeout extends Base {
        private final ReentrantLock lock = new ReentrantLock(true);

        public LockAcrossCallWithTimeout(DesiredState d, KagentStore s, ToolSetRefresh r, McpToolsClient c) {
            super(d, s, r, c);
        }

        @Override
        public void reconcileAgent(String name) throws Exception {
            locked(lock, () -> applyAgent(name));
        }

        @Override
        public void reconcileRemoteMcpServer(String name) throws Exception {
            locked(lock, () -> serverWithCall(name, client));
        }
    }

    /**
     * Two lock stripes by name hash (a "per-resource" lock): the server's stripe is held across its call, and the
     * agents that hash to that stripe wait for it — about half of them.
     */
    public static final class StripedLocksSharedWithAgents extends Base {
        private final ReentrantLock[] stripes = {new ReentrantLock(true), new ReentrantLock(true)};

        public StripedLocksSharedWithAgents(DesiredState d, KagentStore s, ToolSetRefresh r, McpToolsClient c) {
            super(d, s, r, c);
        }

        private ReentrantLock stripe(String name) {
            return stripes[Math.floorMod(name.hashCode(), stripes.length)];
        }

        @Override
        public void reconcileAgent(String name) throws Exception {
            locked(stripe(name), () -> applyAgent(name));
        }

        @Override
        public void reconcileRemoteMcpServer(String name) throws Exception {
            locked(stripe(name), () -> serverWithCall(name, client));
        }
    }

    /** Never blocks an agent: when the lock is busy (a remote call) the agent event is skipped — and lost. */
    public static final class DropsAgentEventsWhileBusy extends Base {
        private final ReentrantLock lock = new ReentrantLock();

        public DropsAgentEventsWhileBusy(DesiredState d, KagentStore s, ToolSetRefresh r, McpToolsClient c) {
            super(d, s, r, c);
        }

        @Override
        public void reconcileAgent(String name) {
            if (!lock.tryLock()) {
                return; // "the next resync will pick it up" — there is none for agents
            }
            try {
                applyAgent(name);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void reconcileRemoteMcpServer(String name) throws Exception {
            locked(lock, () -> serverWithCall(name, client));
        }
    }

    /** No lock, the call bounded — but a deleted agent is only ever looked up, never deleted from the store. */
    public static final class IgnoresAgentDeletes extends Base {
        public IgnoresAgentDeletes(DesiredState d, KagentStore s, ToolSetRefresh r, McpToolsClient c) {
            super(d, s, r, c);
        }

        @Override
        public void reconcileAgent(String name) {
            desired.agent(name).ifPresent(store::storeAgent);
        }

        @Override
        public void reconcileRemoteMcpServer(String name) throws Exception {
            serverWithCall(name, client);
        }
    }

    /** No lock at all, but its own client without a deadline: a hung server holds the server worker for good. */
    public static final class OwnClientWithoutDeadline extends Base {
        private final McpToolsClient own = McpToolsClient.withoutDeadline();

        public OwnClientWithoutDeadline(DesiredState d, KagentStore s, ToolSetRefresh r, McpToolsClient c) {
            super(d, s, r, c);
        }

        @Override
        public void reconcileAgent(String name) {
            applyAgent(name);
        }

        @Override
        public void reconcileRemoteMcpServer(String name) throws Exception {
            serverWithCall(name, own);
        }
    }

    /** Correct, and not ours: one lock serializes every store write, the remote call runs before it, bounded. */
    public static final class WritesSerializedCallOutside extends Base {
        private final ReentrantLock writes = new ReentrantLock();

        public WritesSerializedCallOutside(DesiredState d, KagentStore s, ToolSetRefresh r, McpToolsClient c) {
            super(d, s, r, c);
        }

        @Override
        public void reconcileAgent(String name) throws Exception {
            locked(writes, () -> applyAgent(name));
        }

        @Override
        public void reconcileRemoteMcpServer(String name) throws Exception {
            Optional<RemoteMcpServer> s = desired.server(name);
            if (s.isEmpty()) {
                return;
            }
            List<McpTool> tools = client.listTools(s.get().url()); // no lock held here
            locked(writes, () -> {
                store.storeToolServer(s.get().toolServer());
                refresh.refresh(s.get().toolServer(), tools);
                store.markConnected(s.get().toolServer());
            });
        }
    }

    /** Queues every add: a key added twice is handed to two workers. */
    public static final class NoDedupQueue<K> implements ReconcileQueue<K> {
        private final ArrayDeque<K> queue = new ArrayDeque<>();

        @Override
        public synchronized void add(K key) {
            queue.addLast(key);
        }

        @Override
        public synchronized K poll() {
            return queue.pollFirst();
        }

        @Override
        public synchronized void done(K key) {
        }
    }

    /** Keys queued in insertion order (a set, so deduplicated) and the keys being processed, under one monitor. */
    abstract static class SetQueue<K> implements ReconcileQueue<K> {
        final LinkedHashSet<K> queued = new LinkedHashSet<>();
        final Set<K> processing = new HashSet<>();

        @Override
        public synchronized K poll() {
            if (queued.isEmpty()) {
                return null;
            }
            K k = queued.iterator().next();
            queued.remove(k);
            processing.add(k);
            return k;
        }
    }

    /** Deduplicates, but an add while the key is processing is dropped: the later event is lost. */
    public static final class DropsReAddWhileProcessing<K> extends SetQueue<K> {
        @Override
        public synchronized void add(K key) {
            if (!processing.contains(key)) {
                queued.add(key);
            }
        }

        @Override
        public synchronized void done(K key) {
            processing.remove(key);
        }
    }

    /** Correct, and not ours: an insertion-ordered set of queued keys, and a set of keys added while processing. */
    public static final class MonitorQueue<K> extends SetQueue<K> {
        private final Set<K> dirty = new HashSet<>();

        @Override
        public synchronized void add(K key) {
            if (processing.contains(key)) {
                dirty.add(key);
            } else {
                queued.add(key);
            }
        }

        @Override
        public synchronized void done(K key) {
            if (processing.remove(key) && dirty.remove(key)) {
                queued.add(key);
            }
        }
    }
}
