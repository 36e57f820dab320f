package io.wshub.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.wshub.ClientInfo;
import io.wshub.ClientQuery;
import io.wshub.CloseListener;
import io.wshub.ConnectListener;
import io.wshub.Connection;
import io.wshub.ErrorListener;
import io.wshub.FrameType;
import io.wshub.RawHandler;
import io.wshub.Handler;
import io.wshub.HubStats;
import io.wshub.NodeStats;
import io.wshub.Middleware;
import io.wshub.Page;
import io.wshub.SendResult;
import io.wshub.TagCount;
import io.wshub.Target;
import io.wshub.TagListener;
import io.wshub.UserCount;
import io.wshub.WsConfig;
import io.wshub.WsHub;
import io.wshub.auth.Identity;
import io.wshub.cluster.Broker;
import io.wshub.cluster.Envelope;
import io.wshub.cluster.LocalPresence;
import io.wshub.cluster.Presence;
import io.wshub.cluster.Retention;
import io.wshub.cluster.StreamSlice;
import io.wshub.Target;
import io.wshub.TagListener;
import io.wshub.protocol.Outbound;
import io.wshub.protocol.Protocol;
import io.wshub.registry.ClientIds;
import io.wshub.registry.Registry;
import io.wshub.routing.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The hub: owns the server channel, the registry and the cluster plumbing. */
public final class RealHub implements WsHub {
    static final Logger log = LoggerFactory.getLogger("io.wshub");
    /** Blocking handler calls that may queue for a worker before new ones get 429. */
    private static final int WORKER_QUEUE = 10_000;
    /** Event loops get at least this long to finish their tasks when the drain time is used up. */
    private static final long MIN_THREAD_STOP_MS = 100;

    final WsConfig config;
    final Router router = new Router();
    final Registry registry = new Registry();
    final HubMetrics metrics;
    final ClientIds ids;
    final ThreadPoolExecutor workers;
    final Upgrader upgrader;
    final Admission admission;
    final SubscriptionBarrier barrier;
    final HttpRouter http = new HttpRouter();
    final Cors cors;
    /** Null when permessage-deflate is off. */
    final Compression compression;
    final RawHandlers raw = new RawHandlers(this);
    private final String nodeId;
    private final MeterRegistry meters;
    private final Presence presence;
    private final NodeSampler sampler;
    private final Broker broker;
    /** History and recovery (docs/history.md). */
    final HubStreams streams;
    private final List<ConnectListener> connectListeners = new CopyOnWriteArrayList<>();
    private final List<CloseListener> closeListeners = new CopyOnWriteArrayList<>();
    private final List<ErrorListener> errorListeners = new CopyOnWriteArrayList<>();
    private final List<TagListener> tagListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean accepting;
    private volatile boolean draining;
    private volatile long startedAtMillis;
    private EventLoopGroup bossGroup;
    private EventLoopGroup ioGroup;
    private Channel serverChannel;
    private Fanout fanout;
    /** Null without TLS; set in {@link #start()} before the listener opens. */
    volatile TlsContext tls;

    public RealHub(WsConfig config) {
        this.config = config;
        this.nodeId = config.nodeId() != null ? config.nodeId() : ClientIds.randomNodeId();
        this.ids = new ClientIds(nodeId);
        this.meters = config.meterRegistry() != null ? config.meterRegistry() : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.metrics = new HubMetrics(meters, router.events());
        this.sampler = new NodeSampler(nodeId, registry, metrics::messagesIn, metrics::messagesOut, System::currentTimeMillis);
        this.presence = config.presence() != null ? config.presence() : new LocalPresence(registry::users, registry::tags);
        this.broker = config.broker();
        this.workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(WORKER_QUEUE), new DefaultThreadFactory("wshub-worker", true));
        this.workers.allowCoreThreadTimeOut(true);
        this.streams = new HubStreams(this, config.historyRules(), config.historyEngine(), config.broker() != null, meters);
        this.admission = new Admission(config.limits(), presence);
        this.barrier = new SubscriptionBarrier(broker);
        this.upgrader = new Upgrader(this);
        this.cors = new Cors(config.corsOrigins());
        this.compression = config.compression() ? new Compression(config.compressionThreshold(),
                config.compressionClientContextTakeover(), config.maxMessageBytes()) : null;
        BuiltInEvents.register(this);
    }

    // ---- lifecycle -------------------------------------------------------------------------

    @Override
    public WsHub start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        if (config.tlsCert() != null) { // first: bad files fail start before anything runs
            tls = TlsContext.load(config.tlsCert(), config.tlsKey());
        }
        // An application's own registry (Spring's, ...) has its JVM meters already.
        metrics.bind(registry, r -> queuedBytes(), config.meterRegistry() == null);
        HttpRoutes.register(this);
        presence.shareStats(sampler::sample);
        presence.start(nodeId, this::localClients);
        if (broker != null) {
            broker.start(nodeId, this::deliverFromCluster);
        }
        streams.start(nodeId);
        bossGroup = Transport.group(1, "wshub-accept");
        ioGroup = Transport.group(Transport.loops(config.ioThreads()), "wshub-io");
        fanout = new Fanout(ioGroup, config.writeDelay().toNanos(),
                config.writeDelayAuto() ? config.autoWriteDelayMax().toNanos() : 0, compression);
        int queue = config.outboundQueueBytes();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, ioGroup)
                .channel(Transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                // The outbound queue limit: over the high mark a send closes the connection (4008).
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(queue / 2, queue))
                .childHandler(new HubInitializer(this));
        try {
            serverChannel = bootstrap.bind(config.host(), config.port()).sync().channel();
        } catch (Exception e) { // Netty rethrows the bind's IOException unchecked
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            closed.set(true);
            release(0);
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        startedAtMillis = System.currentTimeMillis();
        sampler.started(startedAtMillis);
        accepting = true;
        log.info("wshub node {} listening on {}:{} paths={} transport={} eventLoops={} codec={} auth={} cluster={} maxMessageBytes={}"
                        + " outboundQueueBytes={} drainTimeout={}s tls={} compression={}", nodeId, config.host(), port(),
                String.join(",", config.paths()), Transport.isNative() ? "epoll" : "nio", Transport.loops(config.ioThreads()),
                config.codec().name(), config.authMode().name().toLowerCase(), broker != null, config.maxMessageBytes(),
                config.outboundQueueBytes(), config.drainTimeout().toSeconds(), tls != null, compression != null);
        return this;
    }

    /**
     * The drain of docs/protocol.md §5.4: {@code /healthz} answers 503 at once while the listener
     * keeps accepting for the grace (a load balancer sees the 503 and stops routing here), then
     * the listener closes, every client gets 1001, and the hub waits for them up to the drain time.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long drainStart = System.nanoTime();
        draining = true;
        log.info("wshub node {} draining: /healthz 503, accepting for {} ms more, then 1001 to every connection ({} now)"
                + " and up to {} s for them to go", nodeId, config.drainGrace().toMillis(), registry.connectionCount(),
                config.drainTimeout().toSeconds());
        sleep(config.drainGrace().toMillis());
        accepting = false;
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        for (Connection c : List.copyOf(registry.all())) {
            c.close(Protocol.CLOSE_GOING_AWAY, "server shutting down");
        }
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        while (registry.connectionCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = registry.connectionCount();
        release(Math.max(0, deadline - System.nanoTime()));
        log.info("wshub node {} stopped after {} ms of drain ({} connections cut at the drain timeout)", nodeId,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStart), left);
    }

    /** True from the moment {@link #close()} starts: {@code /healthz} answers 503 while upgrades may still be accepted. */
    boolean draining() {
        return draining;
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the cluster plumbing and every thread the hub started, within what is left of the
     * drain time (at least a moment, so in-flight close frames still leave).
     */
    private void release(long nanosLeft) {
        long waitMillis = Math.max(MIN_THREAD_STOP_MS, TimeUnit.NANOSECONDS.toMillis(nanosLeft));
        if (broker != null) {
            broker.close();
        }
        if (tls != null) {
            tls.close();
        }
        streams.close();
        presence.close();
        workers.shutdownNow();
        for (EventLoopGroup g : new EventLoopGroup[] {ioGroup, bossGroup}) {
            if (g != null) {
                g.shutdownGracefully(0, waitMillis, TimeUnit.MILLISECONDS).syncUninterruptibly();
            }
        }
    }

    /** Every HTTP route this hub serves, as {@code "METHOD /pattern"}; filled in by {@link #start()}. */
    public List<String> httpRoutes() {
        return http.table();
    }

    @Override
    public boolean isAccepting() {
        return accepting;
    }

    @Override
    public int port() {
        return serverChannel == null ? -1 : ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    long uptimeSeconds() {
        return startedAtMillis == 0 ? 0 : (System.currentTimeMillis() - startedAtMillis) / 1000;
    }

    // ---- registration ----------------------------------------------------------------------

    @Override public WsHub on(String event, Handler handler) { router.on(event, Objects.requireNonNull(handler, "handler"), false); return this; }
    @Override public WsHub onBlocking(String event, Handler handler) { router.on(event, Objects.requireNonNull(handler, "handler"), true); return this; }
    @Override public WsHub onUnhandled(Handler handler) { router.fallback(handler, false); return this; }
    @Override public WsHub use(Middleware middleware) { router.use(Objects.requireNonNull(middleware, "middleware")); return this; }
    @Override public WsHub onRaw(RawHandler h) { raw.add(Objects.requireNonNull(h, "handler")); return this; }
    @Override public WsHub onConnect(ConnectListener l) { connectListeners.add(Objects.requireNonNull(l, "listener")); return this; }
    @Override public WsHub onClose(CloseListener l) { closeListeners.add(Objects.requireNonNull(l, "listener")); return this; }
    @Override public WsHub onError(ErrorListener l) { errorListeners.add(Objects.requireNonNull(l, "listener")); return this; }
    @Override public WsHub onTagChange(TagListener l) { tagListeners.add(Objects.requireNonNull(l, "listener")); return this; }

    // ---- sending ---------------------------------------------------------------------------

    @Override
    public int sendToClient(String clientId, String event, Object data) {
        return sendTo(Target.client(clientId), event, data);
    }

    @Override
    public int sendToUser(String userId, String event, Object data) {
        return sendTo(Target.user(userId), event, data);
    }

    @Override
    public int sendToTag(String tag, String event, Object data) {
        return sendTo(Target.tag(tag), event, data);
    }

    @Override
    public int sendToAll(String event, Object data) {
        return sendTo(Target.ALL, event, data);
    }

    private int sendTo(Target target, String event, Object data) {
        Objects.requireNonNull(event, "event");
        Retention retention = streams.retention(target);
        if (retention != null) {
            streams.publish(target, retention, event, data);
            return local(target).size();
        }
        int n = fanout(local(target), event, data);
        if (needsCluster(target, n)) {
            publish(Envelope.Op.SEND, target, event, data);
        }
        return n;
    }

    /** Whether other nodes may hold connections {@code target} names (a client found here is only here). */
    private boolean needsCluster(Target target, int foundHere) {
        return broker != null && !(target.kind() == Target.Kind.CLIENT && foundHere > 0);
    }

    /** This node's connections that {@code target} names. */
    Collection<Connection> local(Target target) {
        return switch (target.kind()) {
            case CLIENT -> {
                Connection c = registry.get(target.id());
                yield c == null ? List.of() : List.of(c);
            }
            case USER -> registry.ofUser(target.id());
            case TAG -> registry.ofTag(target.id());
            case ALL -> registry.all();
        };
    }

    /** Encodes once and queues the same bytes on every connection (see {@link Fanout}). */
    int fanout(Collection<? extends Connection> targets, String event, Object data) {
        if (!anyOpen(targets)) {
            return 0; // nothing to encode for: an empty tag, or everyone in it closing
        }
        return fanoutOwned(targets, encode(PooledByteBufAllocator.DEFAULT, Outbound.push(event, data)), event);
    }

    /** Queues {@code frame} (released here) on every connection of {@code targets}, counted under {@code event}. */
    private int fanoutOwned(Collection<? extends Connection> targets, ByteBuf frame, String event) {
        try {
            return fanoutFrame(targets, frame, event);
        } finally {
            frame.release();
        }
    }

    /** Usually answered by the first connection. */
    private static boolean anyOpen(Collection<? extends Connection> targets) {
        for (Connection c : targets) {
            if (c.isOpen()) {
                return true;
            }
        }
        return false;
    }

    /** Queues an encoded push on every connection of {@code targets}; does not release {@code frame}. */
    int fanoutFrame(Collection<? extends Connection> targets, ByteBuf frame, String event) {
        int delivered = fanout.write(targets, frame);
        metrics.sent(event, frame.readableBytes(), delivered);
        return delivered;
    }

    /** Queues one raw frame on every connection of {@code targets}. */
    private int fanoutRaw(Collection<? extends Connection> targets, FrameType type, byte[] payload) {
        if (!anyOpen(targets)) {
            return 0;
        }
        return fanoutOwned(targets, WireFrame.of(PooledByteBufAllocator.DEFAULT, type, payload), RawHandlers.EVENT);
    }

    /** A complete WebSocket push frame holding {@code message}, in the configured push frame type (see {@link WireFrame}). */
    ByteBuf encode(ByteBufAllocator alloc, Outbound message) {
        return encode(alloc, message, config.pushFrames());
    }

    /** A complete WebSocket frame of {@code type} holding {@code message}. */
    ByteBuf encode(ByteBufAllocator alloc, Outbound message, FrameType type) {
        return WireFrame.of(alloc, type, config.codec(), message);
    }

    /** Hands an operation to the broker; false (and counted) when it could not take it. */
    private boolean publish(Envelope.Op op, Target target, String event, Object data) {
        if (broker.publish(new Envelope(op, target, event, RawJsons.of(data), nodeId))) {
            return true;
        }
        metrics.brokerFailure();
        return false;
    }

    /** Envelopes with a stream position come from the history engine, from every node including this one. */
    void deliverPositioned(Envelope e) {
        streams.deliver(e);
    }

    private void deliverFromCluster(Envelope e) {
        if (e.position() != null) {
            deliverPositioned(e);
            return;
        }
        if (nodeId.equals(e.origin())) {
            return;
        }
        if (e.op() == Envelope.Op.SEND) {
            fanout(local(e.target()), e.event(), e.data());
        } else if (e.op() == Envelope.Op.RAW) {
            FrameType type = FrameType.named(e.event());
            fanoutRaw(local(e.target()), type, RawPayloads.decode(type, e.data()));
        } else {
            String arg = RawJsons.text(e.data());
            List.copyOf(local(e.target())).forEach(action(e.op(), arg));
        }
    }

    // ---- presence and kicks ----------------------------------------------------------------

    @Override
    public Optional<Connection> connection(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        return Optional.ofNullable(registry.get(clientId));
    }

    @Override public CompletionStage<Page<ClientInfo>> clients(ClientQuery query) { return presence.clients(Objects.requireNonNull(query, "query")); }
    @Override public CompletionStage<List<UserCount>> users() { return presence.users(); }
    @Override public CompletionStage<List<TagCount>> tags() { return presence.tags(); }

    @Override
    public CompletionStage<Integer> kickClient(String clientId, String reason) {
        return kick(Target.client(clientId), reason);
    }

    @Override
    public CompletionStage<Integer> kickUser(String userId, String reason) {
        return kick(Target.user(userId), reason);
    }

    @Override
    public CompletionStage<Integer> join(Target target, String tag) {
        return everywhere(Envelope.Op.JOIN, target, validTag(tag));
    }

    @Override
    public CompletionStage<Integer> quit(Target target, String tag) {
        return everywhere(Envelope.Op.QUIT, target, validTag(tag));
    }

    private CompletionStage<Integer> kick(Target target, String reason) {
        return everywhere(Envelope.Op.KICK, target, reason == null ? "" : reason);
    }

    private static String validTag(String tag) {
        if (tag == null || tag.isEmpty()) {
            throw new IllegalArgumentException("tag must not be empty");
        }
        return tag;
    }

    /** What a KICK, JOIN or QUIT does to one connection. */
    private static java.util.function.Consumer<Connection> action(Envelope.Op op, String arg) {
        return switch (op) {
            case KICK -> c -> c.kick(arg);
            case JOIN -> c -> c.join(arg);
            case QUIT -> c -> c.quit(arg);
            case SEND, RAW -> throw new IllegalArgumentException("a send is a fan-out");
        };
    }

    /** Applies {@code op} to {@code target}'s connections here and publishes it to the other nodes. */
    private CompletionStage<Integer> everywhere(Envelope.Op op, Target target, String arg) {
        Objects.requireNonNull(target, "target");
        List<Connection> here = List.copyOf(local(target));
        here.forEach(action(op, arg));
        if (!needsCluster(target, here.size())) {
            return CompletableFuture.completedFuture(here.size());
        }
        // Counted before the kick goes out: a kicked connection leaves presence as it closes.
        return presence.countElsewhere(target).handle((elsewhere, failure) -> {
            boolean published = publish(op, target, null, arg);
            if (failure != null) {
                throw failure instanceof CompletionException ce ? ce : new CompletionException(failure);
            }
            return here.size() + (published ? elsewhere.intValue() : 0);
        });
    }

    @Override
    public CompletionStage<Integer> send(Target target, String event, Object data) {
        return publish(target, event, data).thenApply(SendResult::delivered);
    }

    @Override
    public CompletionStage<SendResult> publish(Target target, String event, Object data) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(event, "event");
        Retention retention = streams.retention(target);
        if (retention != null) {
            CompletionStage<SendResult> appended = streams.publish(target, retention, event, data);
            return broker == null ? appended : appended.thenCompose(r ->
                    presence.countElsewhere(target).thenApply(elsewhere -> r.plus(elsewhere.intValue())));
        }
        int here = fanout(local(target), event, data);
        // Connections elsewhere count only when the broker took the message.
        if (!needsCluster(target, here) || !publish(Envelope.Op.SEND, target, event, data)) {
            return CompletableFuture.completedFuture(SendResult.live(here));
        }
        return presence.countElsewhere(target).thenApply(elsewhere -> SendResult.live(here + elsewhere.intValue()));
    }

    @Override
    public CompletionStage<StreamSlice> history(Target target, long since, int limit) {
        Objects.requireNonNull(target, "target");
        return streams.read(target, since, limit);
    }

    @Override
    public CompletionStage<Void> removeHistory(Target target) {
        Objects.requireNonNull(target, "target");
        return streams.remove(target);
    }

    @Override
    public CompletionStage<Integer> sendRaw(Target target, FrameType type, byte[] payload) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        int here = fanoutRaw(local(target), type, payload);
        if (!needsCluster(target, here)) {
            return CompletableFuture.completedFuture(here);
        }
        if (!broker.publish(new Envelope(Envelope.Op.RAW, target, type.wireName(), RawPayloads.encode(type, payload), nodeId))) {
            metrics.brokerFailure();
            return CompletableFuture.completedFuture(here);
        }
        return presence.countElsewhere(target).thenApply(elsewhere -> here + elsewhere.intValue());
    }

    @Override
    public CompletionStage<HubStats> stats() {
        CompletableFuture<Long> elsewhere = presence.countElsewhere(Target.ALL).toCompletableFuture();
        CompletableFuture<List<UserCount>> users = presence.users().toCompletableFuture();
        CompletableFuture<List<TagCount>> tags = presence.tags().toCompletableFuture();
        CompletableFuture<List<String>> nodes = presence.nodes().toCompletableFuture();
        return CompletableFuture.allOf(elsewhere, users, tags, nodes).thenApply(v -> new HubStats(
                registry.connectionCount() + elsewhere.join(), users.join().size(), tags.join().size(),
                metrics.messagesIn(), metrics.messagesOut(), uptimeSeconds(), nodes.join()));
    }

    @Override
    public CompletionStage<List<NodeStats>> nodeStats() {
        return presence.nodeStats(sampler.sample());
    }

    @Override
    public MeterRegistry meterRegistry() {
        return meters;
    }

    /** This node's connections for presence; one being closed (kicked, say) is no longer online. */
    private Collection<ClientInfo> localClients() {
        List<ClientInfo> list = new ArrayList<>(registry.connectionCount());
        for (Connection c : registry.all()) {
            if (c.isOpen()) {
                list.add(((RealConnection) c).info());
            }
        }
        return list;
    }

    private double queuedBytes() {
        long sum = 0;
        for (Connection c : registry.all()) {
            sum += ((RealConnection) c).queuedBytes();
        }
        return sum;
    }

    // ---- connection events (called by the internals) -----------------------------------------

    /** Counts {@code conn} in; {@code readable} runs (on its event loop) once its client may be read. */
    void connected(RealConnection conn, Identity identity, Runnable readable) {
        if (!accepting) { // shutdown began during the handshake
            conn.close(Protocol.CLOSE_GOING_AWAY, "server shutting down");
            return;
        }
        conn.registered = true;
        HubStreams.Recovery inbox = streams.openInbox(conn); // before the user's sends can reach it
        if (registry.add(conn) && broker != null) {
            broker.subscribe(Target.user(conn.userId()));
        }
        conn.heartbeat = new Heartbeat(conn, config.pingInterval().toNanos(), config.idleTimeout().toNanos());
        conn.heartbeat.start(identity == null ? null : identity.expiresAt());
        // In presence before the client hears it is connected: a client that got the event and
        // asks another node about itself must find itself.
        presence.connected(conn.info());
        // And reachable through the broker: a send from any node right after the event arrives.
        barrier.ready(SubscriptionBarrier.of(conn)).whenComplete((v, e) -> conn.onLoop(() -> announce(conn, inbox, readable)));
    }

    /** Tells the client (and the connect listeners) that it is connected; on its event loop. */
    private void announce(RealConnection conn, HubStreams.Recovery inbox, Runnable readable) {
        if (!conn.channel.isActive()) {
            return; // gone while its subscriptions were confirmed: disconnected() skips the close listeners
        }
        conn.announced = true;
        java.util.Map<String, Object> data = null;
        if (config.connectedEvent() && config.codec().carriesEvents()) {
            data = new java.util.LinkedHashMap<>();
            data.put("id", conn.id());
            data.put("userId", conn.userId());
        }
        streams.announce(conn, inbox, data);
        readable.run();
        log.debug("connected {}", conn);
        for (ConnectListener l : connectListeners) {
            try {
                l.onConnect(conn);
            } catch (RuntimeException e) {
                listenerFailed("connect", conn, e);
            }
        }
    }

    void disconnected(RealConnection conn) {
        if (!conn.registered) {
            return; // the handshake never completed: nobody was told it connected
        }
        conn.remove();
        if (registry.remove(conn) && broker != null) {
            broker.unsubscribe(Target.user(conn.userId()));
        }
        conn.heartbeat.stop();
        streams.closed(conn);
        var status = conn.closeStatus();
        metrics.closed(status.code());
        presence.disconnected(conn.info());
        log.debug("closed {} with {} {}", conn, status.code(), status.reason());
        if (!conn.announced) {
            return; // connect listeners never heard of it
        }
        for (CloseListener l : closeListeners) {
            try {
                l.onClose(conn, status);
            } catch (RuntimeException e) {
                listenerFailed("close", conn, e);
            }
        }
    }

    void joined(RealConnection conn, String tag) {
        if (registry.join(conn, tag) && broker != null) {
            broker.subscribe(Target.tag(tag));
        }
    }

    void quitted(RealConnection conn, String tag) {
        if (registry.quit(conn, tag) && broker != null) {
            broker.unsubscribe(Target.tag(tag));
        }
    }

    void tagsChanged(RealConnection conn) {
        if (!(presence instanceof LocalPresence)) {
            presence.changed(conn.info());
        }
    }

    void tagChanged(RealConnection conn, String tag, boolean joined) {
        for (TagListener l : tagListeners) {
            try {
                l.onTagChange(conn, tag, joined);
            } catch (RuntimeException e) {
                listenerFailed("tag", conn, e);
            }
        }
    }

    void handlerFailed(RealConnection conn, String event, Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        log.warn("handler for '{}' failed on {}: {}{}", event, conn, e,
                trace.length > 0 ? " at " + trace[0] : "");
        errored(conn, e);
    }

    void errored(RealConnection conn, Throwable e) {
        for (ErrorListener l : errorListeners) {
            try {
                l.onError(conn, e);
            } catch (RuntimeException failure) {
                listenerFailed("error", conn, failure);
            }
        }
    }

    private static void listenerFailed(String kind, Connection conn, RuntimeException e) {
        log.warn("{} listener failed on {}: {}", kind, conn, e.toString());
    }
}
