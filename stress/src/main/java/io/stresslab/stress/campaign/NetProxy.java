package io.stresslab.stress.campaign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.core.throttle.Throttler;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * The TCP proxy on loopback between one worker and the PostgreSQL server, controlled by the coordinator: NetCrusher
 * ({@code com.github.netcrusherorg:netcrusher-core}) moves the bytes; this class adds the campaign's three network
 * faults on top — {@link #freeze}/{@link #unfreeze} (bytes held both ways, the connections stay open),
 * {@link #latency} (every chunk of bytes waits, both ways, through NetCrusher's throttlers),
 * {@link #resetMidStatement} (once a statement is executing on the server, every connection closed at once with a
 * zero linger, so the peers see a reset mid-statement) and
 * {@link #armCommitCut} (the next reply that reports a committed write — an autocommitted {@code INSERT},
 * {@code UPDATE} or {@code DELETE} that changed rows, or the {@code COMMIT} of a transaction that did, each followed by
 * {@code ReadyForQuery} in state idle — is dropped and its connection cut: the server applied the write, the client
 * never hears of it).
 */
final class NetProxy implements AutoCloseable {
    private static final byte[] COMMIT_TAG = ascii("COMMIT\0");
    /** CommandComplete tags whose last number is the count of rows the statement changed. */
    private static final byte[][] WRITE_TAGS = {ascii("INSERT "), ascii("UPDATE "), ascii("DELETE ")};
    /** ReadyForQuery, length 5: the server has finished the client's statement. */
    private static final byte[] READY = {'Z', 0, 0, 0, 5};
    /** ReadyForQuery, transaction status idle: the server has ended the statement's transaction. */
    private static final byte[] READY_IDLE = {'Z', 0, 0, 0, 5, 'I'};
    private static final long IN_FLIGHT_POLL_NANOS = 100_000;

    private final TcpCrusher crusher;
    private final AtomicBoolean cutArmed = new AtomicBoolean();
    private final AtomicInteger cuts = new AtomicInteger();
    /** Clients whose reply is being dropped until their connection is closed. */
    private final Set<InetSocketAddress> cutting = ConcurrentHashMap.newKeySet();
    /** Clients with a COMMIT in flight: sent to the server, no ReadyForQuery back yet. */
    private final Set<InetSocketAddress> commitInFlight = ConcurrentHashMap.newKeySet();
    /** Per client, the names of its server-side prepared statements that are a COMMIT (pgjdbc names them). */
    private final Map<InetSocketAddress, Set<String>> commitStatements = new ConcurrentHashMap<>();
    /** Clients whose open transaction has changed rows (so its COMMIT commits a write). */
    private final Set<InetSocketAddress> wrote = ConcurrentHashMap.newKeySet();
    private final Consumer<String> onCut;
    /** What every chunk of bytes waits, each way; 0 for none. */
    private volatile long latencyNanos;

    private NetProxy(NioReactor reactor, InetSocketAddress target, int port, Consumer<String> onCut) {
        this.onCut = onCut;
        this.crusher = TcpCrusherBuilder.builder()
                .withReactor(reactor)
                .withBindAddress(new InetSocketAddress("127.0.0.1", port))
                .withConnectAddress(target)
                .withLingerMs(0)
                .withTcpNoDelay(true)
                .withOutgoingTransformFilterFactory(client -> buffer -> inspectRequest(client, buffer))
                .withOutgoingThrottlerFactory(client -> buffer -> delay())
                .withIncomingThrottlerFactory(client -> buffer -> delay())
                .withIncomingTransformFilterFactory(client -> buffer -> inspectReply(client, buffer))
                .buildAndOpen();
    }

    /** Opens a proxy to the host and port of {@code jdbcUrl} (a {@code jdbc:postgresql://host:port/db…} URL). */
    static NetProxy open(NioReactor reactor, String jdbcUrl, Consumer<String> onCut) {
        InetSocketAddress target = target(jdbcUrl);
        for (int attempt = 1; ; attempt++) {
            try {
                return new NetProxy(reactor, target, freePort(), onCut);
            } catch (UncheckedIOException | IllegalStateException e) {
                if (attempt == 5) { // another process took each free port between the probe and the bind
                    throw new IllegalStateException("cannot bind the network proxy: " + e.getMessage(), e);
                }
            }
        }
    }

    /** A loopback port free right now (NetCrusher does not report the port it bound for port 0). */
    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for the network proxy: " + e.getMessage(), e);
        }
    }

    static InetSocketAddress target(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("network faults need a jdbc:postgresql:// URL");
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("network faults need one host in the JDBC URL");
        }
        return new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
    }

    /** {@code jdbcUrl} pointed at this proxy instead of the server. */
    String rewrite(String jdbcUrl) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String hostPort = uri.getRawAuthority();
        int at = jdbcUrl.indexOf(hostPort, "jdbc:postgresql://".length() - 2);
        return jdbcUrl.substring(0, at) + "127.0.0.1:" + crusher.getBindAddress().getPort()
                + jdbcUrl.substring(at + hostPort.length());
    }

    /** Every chunk of bytes, both ways, waits {@code delay} from now on ({@link Duration#ZERO}: full speed). */
    void latency(Duration delay) {
        latencyNanos = delay.toNanos();
    }

    private long delay() {
        long d = latencyNanos;
        return d > 0 ? d : Throttler.NO_DELAY_NS;
    }

    void freeze() {
        crusher.freeze();
    }

    void unfreeze() {
        crusher.unfreeze();
    }

    /**
     * A reset mid-statement: waits (up to {@code within}) until the worker has the COMMIT of a transaction that
     * changed rows on the wire, then closes every connection through the proxy at once. That COMMIT's outcome is
     * unknown both ways — the server may have read it and applied it, or not — and its client hears only the reset;
     * the worker's other connections are reset mid-whatever. At a random instant a reset would mostly find the
     * connections idle between statements, which is what pg_terminate_backend does already. Returns what it did, for
     * the fault record.
     */
    String resetMidStatement(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (commitsInFlight() == 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(IN_FLIGHT_POLL_NANOS);
        }
        long committing = commitsInFlight();
        int connections = crusher.getClientAddresses().size();
        crusher.closeAllPairs();
        wrote.clear();
        commitInFlight.clear();
        commitStatements.clear();
        return "reset " + connections + " database connections, " + (committing > 0 ? committing
                + " of them mid-COMMIT of a write" : "none of them mid-COMMIT");
    }

    /** Connections with the COMMIT of a transaction that changed rows in flight. */
    private long commitsInFlight() {
        return commitInFlight.stream().filter(wrote::contains).count();
    }

    /**
     * Notes a COMMIT the client sends: a Parse of {@code COMMIT} (named or not) or a Bind of a statement that was
     * one. Walks the frontend messages in {@code request} (type byte, int32 length); a buffer that does not start on
     * a message boundary is left alone — this only steers which statement a reset finds in flight.
     */
    private void inspectRequest(InetSocketAddress client, ByteBuffer request) {
        for (int i = request.position(); i + 5 <= request.limit(); ) {
            byte type = request.get(i);
            int length = request.getInt(i + 1);
            if (length < 4 || i + 1 + length > request.limit()) {
                return;
            }
            int body = i + 5;
            if (type == 'P') { // Parse: statement name, query
                String name = cString(request, body);
                if (startsWith(request, body + name.length() + 1, COMMIT_TAG)) {
                    commitInFlight.add(client);
                    if (!name.isEmpty()) {
                        commitStatements.computeIfAbsent(client, c -> ConcurrentHashMap.newKeySet()).add(name);
                    }
                }
            } else if (type == 'B') { // Bind: portal name, statement name
                String portal = cString(request, body);
                String statement = cString(request, body + portal.length() + 1);
                if (!statement.isEmpty() && commitStatements.getOrDefault(client, Set.of()).contains(statement)) {
                    commitInFlight.add(client);
                }
            } else if (type == 'Q' && startsWith(request, body, COMMIT_TAG)) { // simple Query
                commitInFlight.add(client);
            }
            i += 1 + length;
        }
    }

    private static String cString(ByteBuffer b, int from) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < b.limit() && b.get(i) != 0; i++) {
            s.append((char) b.get(i));
        }
        return s.toString();
    }

    private static boolean startsWith(ByteBuffer b, int at, byte[] prefix) {
        return at >= 0 && at + prefix.length <= b.limit() && indexOf(b, prefix, at) == at;
    }

    /** The next reply reporting a committed write is dropped and its connection cut. */
    void armCommitCut() {
        cutArmed.set(true);
    }

    int cuts() {
        return cuts.get();
    }

    private void inspectReply(InetSocketAddress client, ByteBuffer reply) {
        if (cutting.contains(client)) {
            reply.position(reply.limit()); // nothing more reaches the client
            return;
        }
        if (indexOf(reply, READY) >= 0) {
            commitInFlight.remove(client);
        }
        boolean committedWrite = committedWrite(client, reply); // tracked always: a reset looks for writes too
        if (committedWrite && cutArmed.get() && cutArmed.compareAndSet(true, false)) {
            cutting.add(client);
            reply.position(reply.limit());
            cuts.incrementAndGet();
            // closing from inside the reactor's filter is not allowed: a short-lived thread does it
            Thread t = new Thread(() -> {
                crusher.closeClient(client);
                cutting.remove(client);
                wrote.remove(client);
                commitInFlight.remove(client);
                commitStatements.remove(client);
                onCut.accept("cut the reply to a committed write on connection " + client.getPort());
            }, "stresslab-net-cut");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Whether {@code reply} ends a transaction that changed rows: an autocommitted INSERT, UPDATE or DELETE that
     * changed any, or the COMMIT of a transaction whose statements did (a read-only transaction's COMMIT, a ROLLBACK
     * and an {@code UPDATE 0} are not cut: nothing would be lost). Tracks, per client, whether its open transaction
     * wrote; a reply that ends the transaction clears it.
     */
    private boolean committedWrite(InetSocketAddress client, ByteBuffer reply) {
        boolean writes = changesRows(reply);
        if (indexOf(reply, READY_IDLE) < 0) {
            if (writes) {
                wrote.add(client);
            }
            return false;
        }
        boolean txWrote = wrote.remove(client);
        return writes || (txWrote && indexOf(reply, COMMIT_TAG) >= 0);
    }

    /** Whether a CommandComplete in {@code b} reports an INSERT, UPDATE or DELETE of at least one row. */
    private static boolean changesRows(ByteBuffer b) {
        for (byte[] tag : WRITE_TAGS) {
            for (int at = indexOf(b, tag, b.position()); at >= 0; at = indexOf(b, tag, at + 1)) {
                long rows = 0;
                for (int i = at + tag.length; i < b.limit() && b.get(i) != 0; i++) {
                    byte d = b.get(i);
                    rows = d == ' ' ? 0 : rows * 10 + (d - '0'); // "INSERT oid rows": the last number counts
                }
                if (rows > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int indexOf(ByteBuffer b, byte[] needle) {
        return indexOf(b, needle, b.position());
    }

    private static int indexOf(ByteBuffer b, byte[] needle, int from) {
        outer:
        for (int i = from; i <= b.limit() - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        crusher.close();
    }

    /** One reactor for all of a campaign's proxies. */
    static NioReactor reactor() {
        try {
            return new NioReactor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the network proxy: " + e.getMessage(), e);
        }
    }
}
