package io.hivemind.server.transport;

import io.hivemind.core.acl.AclToken;
import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.CertifiedPeer;
import io.hivemind.core.control.CertifiedSubmitter;
import io.hivemind.core.control.CertifiedSubmitter.Standing;
import io.hivemind.core.control.CommandAccess;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlDecodeException;
import io.hivemind.core.control.ControlSnapshot;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.FollowerSubmits;
import io.hivemind.core.control.GatewayError;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.control.WireControlCodec;
import io.hivemind.server.acl.AclTokenResolver;
import io.hivemind.server.catalog.CatalogLinks;
import io.hivemind.server.catalog.LinkScope;
import io.hivemind.server.control.AdmissionRefusedException;
import io.hivemind.server.control.CommittedLog;
import io.hivemind.server.control.FeedSink;
import io.hivemind.server.control.NoQuorumException;
import io.hivemind.server.control.Subscription;
import io.hivemind.server.logging.RateLimitedLog;
import io.hivemind.server.tls.CommonNames;
import io.hivemind.server.tls.ControlCertificates;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One follower's connection to the gateway: subscribes it to the committed log on its Follow,
 * writes the feed (shared encoded frames), answers its submits and reads through the node's control
 * plane, and cuts it off when it stops reading. Bad input closes this connection only, counted by
 * kind ({@link GatewayServerStats}); nothing a follower sends reaches the log's thread undecoded.
 *
 * <p>Netty calls it on the connection's loop; the feed's sink and request completions run on other
 * threads and only write to the channel (thread-safe in Netty).
 */
final class GatewayServerHandler extends ChannelInboundHandlerAdapter {

  private static final Logger logger = LoggerFactory.getLogger(GatewayServerHandler.class);
  private static final RateLimitedLog log = new RateLimitedLog(logger);

  private final GatewayServerConfig config;
  private final CommittedLog committed;
  private final EncodedFeed feed;
  private final GatewayServerStats stats;
  private final FollowerChannels followers;
  private final CatalogLinks catalog;
  private final AclTokenResolver acl;
  private final AtomicInteger pending = new AtomicInteger();
  private Subscription subscription;
  private ChannelCatalogLink catalogLink;
  private ScheduledFuture<?> slowTimer;
  private boolean refused;
  // The node the peer's certificate names (empty without TLS), read once the handshake is done.
  private Optional<CertifiedPeer> certifiedPeer;
  // Whether the catalogue link's declared owner is admitted under the certificate's name.
  private boolean catalogOwnerConfirmed;
  // The view index at which the declared owner was last found not admitted (-1: never checked).
  private long unconfirmedAtIndex = -1;

  GatewayServerHandler(
      GatewayServerConfig config,
      CommittedLog committed,
      EncodedFeed feed,
      GatewayServerStats stats,
      FollowerChannels followers) {
    this(config, committed, feed, stats, followers, null, null);
  }

  /**
   * @param catalog where catalogue links and frames go, or null when this node replicates no
   *     catalogue (its followers' catalogue frames are then dropped and counted)
   * @param acl the node's ACL settings, or null when it enforces none
   */
  GatewayServerHandler(
      GatewayServerConfig config,
      CommittedLog committed,
      EncodedFeed feed,
      GatewayServerStats stats,
      FollowerChannels followers,
      CatalogLinks catalog,
      AclTokenResolver acl) {
    this.config = config;
    this.committed = committed;
    this.feed = feed;
    this.stats = stats;
    this.followers = followers;
    this.catalog = catalog;
    this.acl = acl;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (!followers.tryAdd(ctx.channel())) {
      stats.rejected.increment();
      warn(ctx, "rejected", "refused a follower: " + config.maxConnections() + " are connected");
      ctx.close();
      return;
    }
    stats.accepted.increment();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
    cancelSlowTimer();
    followers.remove(ctx.channel());
    if (catalogLink != null) {
      catalog.detached(catalogLink);
      catalogLink = null;
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    GatewayMessage message;
    try {
      message = GatewayFrames.decode((ByteBuf) msg);
    } catch (ControlDecodeException e) {
      stats.malformed.increment();
      warn(ctx, "malformed", "closed a follower's connection: " + e.getMessage());
      ctx.close();
      return;
    } finally {
      ReferenceCountUtil.release(msg);
    }
    if (refused) {
      return; // refused at its handshake: nothing more it sends is served, the close is under way
    }
    if (message instanceof GatewayMessage.Catalog frame) {
      catalogFrame(ctx, frame);
    } else if (message instanceof GatewayMessage.Follow follow && firstMessage()) {
      if (sameEnvironment(ctx, "follower " + follow.nodeId(), follow.environment())
          && notAnotherNode(ctx, "follower", follow.nodeId())) {
        follow(ctx, follow.afterIndex());
        linkCatalog(ctx, LinkScope.FOLLOWER, follow.nodeId());
      }
    } else if (message instanceof GatewayMessage.MeshPeer peer && firstMessage()) {
      if (sameEnvironment(ctx, "mesh peer " + peer.nodeId(), peer.environment())
          && notAnotherNode(ctx, "mesh peer", peer.nodeId())) {
        meshPeer(ctx, peer.nodeId());
      }
    } else if (message instanceof GatewayMessage.Submit submit) {
      submit(ctx.channel(), submit, certifiedPeer(ctx));
    } else if (message instanceof GatewayMessage.ReadIndex read) {
      readIndex(ctx.channel(), read.requestId());
    } else {
      stats.unexpected.increment();
      warn(ctx, "unexpected", "closed a follower's connection: it sent " + kind(message));
      ctx.close();
    }
  }

  private static String kind(GatewayMessage message) {
    return message instanceof GatewayMessage.Follow || message instanceof GatewayMessage.MeshPeer
        ? "a second Follow or MeshPeer"
        : "a gateway's message (" + message.getClass().getSimpleName() + ")";
  }

  private boolean firstMessage() {
    return subscription == null && catalogLink == null;
  }

  /**
   * Issue 11: an agent serves one environment, so a node of another one (or of a version that does
   * not declare it) is refused at its handshake: it is told why (a WRONG_ENVIRONMENT failure with
   * request id 0, which it logs), the refusal is logged and counted here, and the connection is
   * closed once the answer is written. Nothing it sent reaches the log or the catalogue.
   */
  private boolean sameEnvironment(ChannelHandlerContext ctx, String who, String declared) {
    if (declared.equals(config.environment())) {
      return true;
    }
    stats.wrongEnvironment.increment();
    String reason =
        declared.isEmpty()
            ? who + " declared no environment (a version older than the environment check)"
            : who + " is of environment '" + declared + "'";
    String message = reason + ", this control gateway serves '" + config.environment() + "'";
    refuseConnection(ctx, "environment", GatewayError.WRONG_ENVIRONMENT, message);
    return false;
  }

  /**
   * Refuses the connection at its handshake: the follower is told why (a failure with request id
   * 0), the refusal is logged under {@code key}, and the connection closes once the answer is
   * written; nothing it sends meanwhile is served.
   */
  private void refuseConnection(
      ChannelHandlerContext ctx, String key, GatewayError code, String message) {
    refused = true;
    warn(ctx, key, "refused a connection: " + message);
    ctx.writeAndFlush(GatewayFrames.encode(new GatewayMessage.Failure(0, code, message)))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** The follower's id, declared in its Follow, is the only owner accepted on its link. */
  private void linkCatalog(ChannelHandlerContext ctx, LinkScope scope, String nodeId) {
    if (catalog == null || nodeId.isEmpty()) {
      return; // no catalogue here, or a follower that replicates none
    }
    catalogLink =
        new ChannelCatalogLink(ctx.channel(), scope, nodeId, config.maxQueuedBytes(), stats);
    catalog.attach(catalogLink);
  }

  /**
   * Another control node's catalogue-only link: it may relay any owner, so only a node the control
   * plane admitted with the control role may open one.
   */
  private void meshPeer(ChannelHandlerContext ctx, String nodeId) {
    if (catalog == null || !catalog.isControlPeer(nodeId)) {
      stats.unexpected.increment();
      warn(
          ctx,
          "mesh",
          "refused a catalogue mesh link from "
              + nodeId
              + " to "
              + ctx.channel().localAddress()
              + ": not a control node this node's control plane admitted");
      ctx.close();
      return;
    }
    followers.following(ctx.channel()); // heartbeats tell the peer the link is alive
    linkCatalog(ctx, LinkScope.MESH, nodeId);
    // Admitted (a control peer) and, over TLS, not another node (checked at its MeshPeer): the
    // certificate names it. A mesh link relays every owner, each change with its owner's version.
    catalogOwnerConfirmed = true;
  }

  private void catalogFrame(ChannelHandlerContext ctx, GatewayMessage.Catalog frame) {
    if (catalogLink == null) {
      // Not closed: a follower's control-plane feed must not suffer for a node without catalogue.
      stats.catalogDropped.increment();
      warn(ctx, "catalog", "dropped a catalogue frame: no catalogue link on this connection");
      return;
    }
    if (!catalogOwnerConfirmed && certifiedPeer(ctx).isPresent() && !confirmOwner(ctx)) {
      return;
    }
    catalog.received(catalogLink, frame.frameBytes());
  }

  /**
   * Over mutual TLS, whether the owner this follower declared is admitted under the name its
   * certificate carries, checked until it is (ids are never reused and an admitted member's name
   * never changes, so once is enough). Until its admission the frames are dropped and counted: the
   * replica would refuse a non-admitted owner anyway, and a later digest exchange brings them.
   */
  private boolean confirmOwner(ChannelHandlerContext ctx) {
    String owner = catalogLink.peerId();
    ControlView view = committed.plane().view();
    // The registry only changes with the view: a flood of frames before the admission costs a
    // scan of the members per committed index, not per frame.
    Standing standing =
        view.index() == unconfirmedAtIndex
            ? Standing.NOT_ADMITTED
            : CertifiedSubmitter.standing(owner, certifiedPeer(ctx).get().name(), view);
    if (standing == Standing.CONFIRMED) {
      catalogOwnerConfirmed = true;
      return true;
    }
    if (standing == Standing.NOT_ADMITTED) {
      unconfirmedAtIndex = view.index();
      stats.catalogUnconfirmed.increment();
      return false;
    }
    refuseAnotherNode(ctx, "catalogue changes of", owner);
    return false;
  }

  /**
   * Over mutual TLS, a follower or mesh peer may not declare the id of a member admitted under
   * another name than its certificate's: refused like a wrong environment (told why, logged,
   * counted, closed). An id not admitted yet passes: a joining node follows before its admission,
   * which itself must name the certificate's node ({@link CertifiedSubmitter}).
   */
  private boolean notAnotherNode(ChannelHandlerContext ctx, String who, String nodeId) {
    Optional<CertifiedPeer> peer = certifiedPeer(ctx);
    if (peer.isEmpty()
        || nodeId.isEmpty()
        || CertifiedSubmitter.standing(nodeId, peer.get().name(), committed.plane().view())
            != Standing.ANOTHER_NODE) {
      return true;
    }
    refuseAnotherNode(ctx, "a " + who + " link as", nodeId);
    return false;
  }

  private void refuseAnotherNode(ChannelHandlerContext ctx, String what, String nodeId) {
    stats.identityRefused.increment();
    String message =
        "the connection's certificate names "
            + certifiedPeer(ctx).get().name()
            + ", which may not open "
            + what
            + " "
            + nodeId
            + ": that member was admitted under another name";
    refuseConnection(ctx, "identity", GatewayError.INVALID_REQUEST, message);
  }

  /**
   * The node the peer's certificate names and whether it is a control node's (docs/security.md,
   * "Identity"), or empty on a plaintext gateway, where there is no identity to bind a request to.
   * A certificate without a single common name names no node ("").
   */
  private Optional<CertifiedPeer> certifiedPeer(ChannelHandlerContext ctx) {
    if (certifiedPeer == null) {
      SslHandler tls = ctx.pipeline().get(SslHandler.class);
      certifiedPeer =
          tls == null
              ? Optional.empty()
              : Optional.of(
                  new CertifiedPeer(
                      CommonNames.ofPeer(tls.engine().getSession()).orElse(""),
                      ControlCertificates.ofPeer(tls.engine().getSession())));
    }
    return certifiedPeer;
  }

  private void follow(ChannelHandlerContext ctx, long afterIndex) {
    Channel channel = ctx.channel();
    followers.following(channel);
    // The leader first, so the follower knows at once whether it may write.
    channel.writeAndFlush(GatewayFrames.encode(ControlGatewayServer.heartbeat(committed.plane())));
    subscription = committed.follow(afterIndex, new ChannelSink(channel));
    if (!channel.isActive()) {
      subscription.close(); // closed while subscribing: channelInactive ran before it was set
    }
  }

  private void submit(
      Channel channel, GatewayMessage.Submit submit, Optional<CertifiedPeer> certifiedPeer) {
    long id = submit.requestId();
    if (!admit(channel, id)) {
      return;
    }
    io.hivemind.core.control.ControlEntry entry;
    try {
      entry = WireControlCodec.decodeEntry(submit.entryBytes());
    } catch (ControlDecodeException e) {
      answer(channel, new GatewayMessage.Failure(id, GatewayError.INVALID_REQUEST, e.getMessage()));
      return;
    }
    if (answeredRefusal(
            channel,
            id,
            "leader-only",
            stats.leaderOnlyRefused,
            GatewayError.INVALID_REQUEST,
            FollowerSubmits.refusal(entry.command()))
        || (certifiedPeer.isPresent()
            && answeredRefusal(
                channel,
                id,
                "identity",
                stats.identityRefused,
                GatewayError.INVALID_REQUEST,
                CertifiedSubmitter.refusal(
                    entry.command(), certifiedPeer.get(), committed.plane().view())))
        || (acl != null
            && answeredRefusal(
                channel,
                id,
                "acl",
                stats.aclRefused,
                GatewayError.ACL_DENIED,
                aclRefusal(entry.command(), submit.aclToken())))) {
      return;
    }
    CompletableFuture<ApplyResult> result;
    try {
      result = committed.plane().submit(entry.command());
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    result.whenComplete(
        (applied, failure) ->
            answer(
                channel,
                failure == null
                    ? new GatewayMessage.SubmitResult(id, WireControlCodec.encodeResult(applied))
                    : failure(id, failure)));
  }

  /**
   * Answers submit {@code id} with {@code refusal} when there is one ({@code code} and its
   * sentence), counted and logged under {@code kind}; the connection stays open.
   */
  private boolean answeredRefusal(
      Channel channel,
      long id,
      String kind,
      LongAdder counter,
      GatewayError code,
      Optional<String> refusal) {
    if (refusal.isEmpty()) {
      return false;
    }
    counter.increment();
    log.warn(
        channel.eventLoop().ticker().nanoTime(),
        kind,
        "refused a follower's submit: {} ({})",
        refusal.get(),
        channel.remoteAddress());
    answer(channel, new GatewayMessage.Failure(id, code, refusal.get()));
    return true;
  }

  /**
   * Why the request a follower made {@code command} for may not have it committed: its token (or
   * the lack of one) under this node's ACLs, as the HTTP API decides (docs/acl.md). Checked here
   * again so that a node holding a cluster certificate cannot write what its requests' tokens may
   * not, or mint a token.
   */
  private Optional<String> aclRefusal(ControlCommand command, String secret) {
    if (CommandAccess.of(command).isEmpty()) {
      return Optional.empty();
    }
    AclToken token = null;
    if (!secret.isEmpty()) {
      token = acl.resolve(secret);
      if (token == null) {
        return Optional.of("the request's token is not known to this cluster (ACL not found)");
      }
    }
    return CommandAccess.refusal(command, token, acl.authorizer());
  }

  private void readIndex(Channel channel, long id) {
    if (!admit(channel, id)) {
      return;
    }
    CompletableFuture<ControlView> read;
    try {
      read = committed.plane().linearizableView();
    } catch (RuntimeException e) {
      read = CompletableFuture.failedFuture(e);
    }
    read.whenComplete(
        (view, failure) ->
            answer(
                channel,
                failure == null
                    ? new GatewayMessage.ReadIndexResult(id, view.index())
                    : failure(id, failure)));
  }

  /** Counts the request in; refuses it when this follower has too many in flight. */
  private boolean admit(Channel channel, long id) {
    stats.requests.increment();
    if (pending.incrementAndGet() > config.maxPendingRequestsPerConnection()) {
      answer(
          channel,
          new GatewayMessage.Failure(
              id,
              GatewayError.TOO_MANY_REQUESTS,
              config.maxPendingRequestsPerConnection() + " requests are in flight"));
      return false;
    }
    return true;
  }

  private void answer(Channel channel, GatewayMessage message) {
    pending.decrementAndGet();
    channel.writeAndFlush(GatewayFrames.encode(message));
  }

  private static GatewayMessage.Failure failure(long id, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof NoQuorumException) {
      return new GatewayMessage.Failure(id, GatewayError.NO_QUORUM, cause.getMessage());
    }
    if (cause instanceof AdmissionRefusedException) {
      return new GatewayMessage.Failure(id, GatewayError.ADMISSION_REFUSED, cause.getMessage());
    }
    logger.debug("a follower's request {} failed", id, cause);
    String message =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new GatewayMessage.Failure(id, GatewayError.INTERNAL, message);
  }

  /**
   * A follower that stops reading is given {@link GatewayServerConfig#slowFollowerGrace} to start
   * again, then cut off: its queue would otherwise grow with every entry. It reconnects and catches
   * up from its last applied index, from the retained window or a snapshot.
   */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      cancelSlowTimer();
    } else if (slowTimer == null) {
      long graceMillis = config.slowFollowerGrace().toMillis();
      slowTimer = ctx.executor().schedule(() -> cutOff(ctx), graceMillis, TimeUnit.MILLISECONDS);
    }
    ctx.fireChannelWritabilityChanged();
  }

  private void cutOff(ChannelHandlerContext ctx) {
    slowTimer = null;
    if (!ctx.channel().isWritable() && ctx.channel().isActive()) {
      stats.slowCutOff.increment();
      warn(ctx, "slow", "cut off a follower that stopped reading its feed");
      ctx.close();
    }
  }

  private void cancelSlowTimer() {
    if (slowTimer != null) {
      slowTimer.cancel(false);
      slowTimer = null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      stats.oversized.increment();
      warn(ctx, "oversized", "closed a follower's connection: " + cause.getMessage());
    } else if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
      logger.debug("TLS failed with {}", ctx.channel().remoteAddress(), cause); // counted below
    } else if (cause instanceof DecoderException) {
      stats.malformed.increment();
      warn(ctx, "malformed", "closed a follower's connection: " + cause.getMessage());
    } else {
      logger.debug("follower connection {} failed", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }

  /** A failed TLS handshake (an untrusted certificate, or not TLS at all): counted, closed. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
      stats.tlsFailures.increment();
      warn(ctx, "tls", "refused a follower's TLS handshake: " + handshake.cause().getMessage());
      ctx.close();
    }
    ctx.fireUserEventTriggered(event);
  }

  private static void warn(ChannelHandlerContext ctx, String key, String message) {
    log.warn(
        ctx.executor().ticker().nanoTime(), key, "{} ({})", message, ctx.channel().remoteAddress());
  }

  /**
   * The follower's end of the log's feed: shared frames queued for its channel. Called on the log's
   * thread, which hands the frames to the channel's loop in batches: one task and one flush per
   * batch rather than per entry, so a burst of entries costs each follower one system call. A
   * follower queueing past {@link GatewayServerConfig#maxQueuedBytes} is cut off at once.
   */
  private final class ChannelSink implements FeedSink {
    private final Channel channel;
    private final Queue<ByteBuf> queued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    ChannelSink(Channel channel) {
      this.channel = channel;
    }

    @Override
    public void snapshot(long index, ControlSnapshot snapshot, byte[] snapshotBytes) {
      stats.snapshotsSent.increment();
      queue(feed.snapshot(index, snapshotBytes));
    }

    @Override
    public void entry(long index, byte[] entryBytes) {
      stats.entriesSent.increment();
      queue(feed.entry(index, entryBytes));
    }

    private void queue(ByteBuf frame) {
      if (channel.bytesBeforeWritable() > config.maxQueuedBytes()) {
        frame.release();
        if (channel.isActive()) {
          stats.slowCutOff.increment();
          channel.close();
        }
        return;
      }
      queued.add(frame);
      if (drainScheduled.compareAndSet(false, true)) {
        try {
          channel.eventLoop().execute(this::drain);
        } catch (RejectedExecutionException e) {
          releaseQueued(); // the gateway is closing
        }
      }
    }

    /** On the channel's loop: everything queued, one flush. */
    private void drain() {
      drainScheduled.set(false); // before polling: a frame added from now on schedules again
      ByteBuf frame;
      while ((frame = queued.poll()) != null) {
        channel.write(frame, channel.voidPromise());
      }
      channel.flush();
    }

    private void releaseQueued() {
      ByteBuf frame;
      while ((frame = queued.poll()) != null) {
        frame.release();
      }
    }
  }
}
