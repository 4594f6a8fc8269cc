package io.stresslab.stress.campaign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * The TCP proxy on loopback between one worker and the PostgreSQL server, controlled by the coordinator: NetCrusher
 * ({@code com.github.netcrusherorg:netcrusher-core}) moves the bytes; this class adds the campaign's three network
 * faults on top — {@link #freeze}/{@link #unfreeze} (bytes held both ways, the connections stay open),
 * {@link #reset} (every connection closed at once with a zero linger, so the peers see a reset mid-statement) and
 * {@link #armCommitCut} (the next reply that reports a committed write — a {@code CommandComplete} of {@code COMMIT},
 * {@code INSERT}, {@code UPDATE} or {@code DELETE} followed by {@code ReadyForQuery} in state idle — is dropped and its
 * connection cut: the server applied the write, the client never hears of it).
 */
final class NetProxy implements AutoCloseable {
    private static final byte[][] COMMITTED_TAGS = {ascii("COMMIT\0"), ascii("INSERT "), ascii("UPDATE "),
            ascii("DELETE ")};
    /** ReadyForQuery, length 5, transaction status idle: the server has ended the statement's transaction. */
    private static final byte[] READY_IDLE = {'Z', 0, 0, 0, 5, 'I'};

    private final TcpCrusher crusher;
    private final AtomicBoolean cutArmed = new AtomicBoolean();
    private final AtomicInteger cuts = new AtomicInteger();
    /** Clients whose reply is being dropped until their connection is closed. */
    private final Set<InetSocketAddress> cutting = ConcurrentHashMap.newKeySet();
    private final Consumer<String> onCut;

    private NetProxy(NioReactor reactor, InetSocketAddress target, int port, Consumer<String> onCut) {
        this.onCut = onCut;
        this.crusher = TcpCrusherBuilder.builder()
                .withReactor(reactor)
                .withBindAddress(new InetSocketAddress("127.0.0.1", port))
                .withConnectAddress(target)
                .withLingerMs(0)
                .withTcpNoDelay(true)
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

    void freeze() {
        crusher.freeze();
    }

    void unfreeze() {
        crusher.unfreeze();
    }

    /** Closes every connection through the proxy now; returns how many there were. */
    int reset() {
        int n = crusher.getClientTotalCount();
        crusher.closeAllPairs();
        return n;
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
        if (cutArmed.get() && reportsCommittedWrite(reply) && cutArmed.compareAndSet(true, false)) {
            cutting.add(client);
            reply.position(reply.limit());
            cuts.incrementAndGet();
            // closing from inside the reactor's filter is not allowed: a short-lived thread does it
            Thread t = new Thread(() -> {
                crusher.closeClient(client);
                cutting.remove(client);
                onCut.accept("cut the reply to a committed write on connection " + client.getPort());
            }, "stresslab-net-cut");
            t.setDaemon(true);
            t.start();
        }
    }

    private static boolean reportsCommittedWrite(ByteBuffer b) {
        if (indexOf(b, READY_IDLE) < 0) {
            return false;
        }
        for (byte[] tag : COMMITTED_TAGS) {
            if (indexOf(b, tag) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(ByteBuffer b, byte[] needle) {
        outer:
        for (int i = b.position(); i <= b.limit() - needle.length; i++) {
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
