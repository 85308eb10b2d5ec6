package io.hivemind.server.transport;

import io.hivemind.core.state.StateClientDecodeException;
import io.hivemind.core.state.StateClientMessage;
import io.hivemind.core.state.StateClientMessage.ErrorCode;
import io.hivemind.core.state.StateClientMessage.Refusal;
import io.hivemind.core.state.StateResult;
import io.hivemind.core.state.WireStateClientCodec;
import io.hivemind.server.logging.RateLimitedLog;
import io.hivemind.server.state.StateAnswer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of the state client port (docs/protocol/state-client.md): admits the client at its
 * hello (environment, cluster, version, token), then hands each request to the agent's store and
 * writes the reply with the request's id once the store answers, in whatever order it does.
 *
 * <p>Cost per request is the point of this protocol: a frame is decoded once; replies that arrive
 * together from the store's thread go back to the event loop as one task and one flush, and answers
 * written while reading (errors, OVERLOADED) are flushed once per read burst. Bounds: at most
 * {@link #MAX_IN_FLIGHT} requests wait on the store per connection (more are answered OVERLOADED at
 * once), and while the client does not read its replies the connection stops reading (autoRead off
 * until writable), so a client that never reads costs a bounded buffer.
 *
 * <p>Owning thread: the channel's event loop; {@link #answered} alone runs on the store's.
 */
final class StateClientHandler extends ChannelInboundHandlerAdapter {

  /** Requests one connection may have waiting on the store (welcome.max_in_flight). */
  static final int MAX_IN_FLIGHT = 1024;

  /** The pipeline name of the timeout that closes a connection which never says hello. */
  static final String HELLO_TIMEOUT = "hello-timeout";

  private static final Logger log = LoggerFactory.getLogger(StateClientHandler.class);
  private static final RateLimitedLog DROPS = new RateLimitedLog(log);

  private final StateClientContext context;
  private final StateClientStats stats;
  private final int maxConnections;
  private final Queue<StateClientMessage.Reply> answers = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private ChannelHandlerContext ctx;
  private StateClientAccess access;
  private int inFlight;
  private boolean counted;
  private boolean overCap;
  private boolean closing;

  StateClientHandler(StateClientContext context, StateClientStats stats, int maxConnections) {
    this.context = context;
    this.stats = stats;
    this.maxConnections = maxConnections;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    counted = true;
    // Refused at its hello rather than now: a client reads the refusal as the answer to its
    // hello, where a connection closed before the hello arrives could reset and lose it.
    overCap = stats.opened() > maxConnections;
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    byte[] bytes;
    try {
      if (closing) {
        return; // refused or malformed: the rest of the burst is not read
      }
      bytes = ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
    StateClientMessage message;
    try {
      message = WireStateClientCodec.decode(bytes);
    } catch (StateClientDecodeException e) {
      malformed(e.otherVersion(), e.getMessage());
      return;
    }
    if (access == null) {
      hello(message);
    } else if (message instanceof StateClientMessage.Request request) {
      request(request);
    } else if (message instanceof StateClientMessage.InvalidRequest invalid) {
      stats.countError(ErrorCode.INVALID);
      write(StateClientMessage.Reply.error(invalid.id(), ErrorCode.INVALID, invalid.sentence()));
    } else {
      malformed(false, "a client sends requests after its hello, not " + kind(message));
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
    ctx.fireChannelReadComplete();
  }

  /** Stops reading while the client is not reading its replies; resumes once it catches up. */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (counted) {
      counted = false;
      stats.closed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException) {
      // Framing: a length over the limit (TooLongFrameException) or a corrupt one.
      malformed(false, cause.getMessage());
      return;
    }
    if (cause instanceof ReadTimeoutException) {
      log.debug("state client {} sent no hello in time: closed", ctx.channel().remoteAddress());
    } else if (!(cause instanceof IOException)) {
      log.warn("state client {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    closing = true;
    ctx.close();
  }

  // ---- hello --------------------------------------------------------------------------------

  private void hello(StateClientMessage message) {
    if (!(message instanceof StateClientMessage.Hello hello)) {
      refuse(Refusal.MALFORMED, "the first frame must be a hello, not " + kind(message));
      return;
    }
    if (overCap) {
      refuse(
          Refusal.TOO_MANY_CONNECTIONS,
          "this agent serves " + maxConnections + " state client connections, its most");
      return;
    }
    if (!hello.environment().equals(context.environment())) {
      refuse(
          Refusal.WRONG_ENVIRONMENT,
          "this agent serves environment "
              + context.environment()
              + "; a client of environment '"
              + hello.environment()
              + "' must use its own environment's agents and ports");
      return;
    }
    if (!hello.cluster().isEmpty() && !hello.cluster().equals(context.cluster())) {
      refuse(
          Refusal.WRONG_CLUSTER,
          "this agent belongs to cluster " + context.cluster() + ", not " + hello.cluster());
      return;
    }
    StateClientAccess candidate = new StateClientAccess(context.acl().get(), hello.token());
    if (!candidate.known()) {
      refuse(
          Refusal.ACL_DENIED, "the token presented is not known to this cluster (ACL not found)");
      return;
    }
    access = candidate;
    if (ctx.pipeline().get(HELLO_TIMEOUT) != null) {
      ctx.pipeline().remove(HELLO_TIMEOUT); // a routing client may stay idle for long
    }
    stats.countWelcomed();
    write(
        new StateClientMessage.Welcome(
            context.agentId().get(), MAX_IN_FLIGHT, WireStateClientCodec.MAX_FRAME_BYTES));
    log.debug(
        "state client '{}' at {} welcomed", hello.clientName(), ctx.channel().remoteAddress());
  }

  private void refuse(Refusal reason, String sentence) {
    stats.countRefusal(reason);
    DROPS.warn(
        System.nanoTime(),
        reason.name(),
        "refused state client {}: {}",
        ctx.channel().remoteAddress(),
        sentence);
    closing = true;
    ctx.writeAndFlush(frame(new StateClientMessage.Refused(reason, sentence)))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** A frame that is not a valid message: refused at the hello, else the connection just ends. */
  private void malformed(boolean otherVersion, String reason) {
    if (closing) {
      return;
    }
    stats.countMalformed();
    if (access == null) {
      refuse(otherVersion ? Refusal.BAD_VERSION : Refusal.MALFORMED, String.valueOf(reason));
      return;
    }
    DROPS.warn(
        System.nanoTime(),
        "malformed",
        "closing state client {}: {}",
        ctx.channel().remoteAddress(),
        reason);
    closing = true;
    ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
  }

  // ---- requests -----------------------------------------------------------------------------

  private void request(StateClientMessage.Request request) {
    if (inFlight >= MAX_IN_FLIGHT) {
      stats.countOverloaded();
      write(
          StateClientMessage.Reply.of(
              request.id(),
              new StateResult.Unavailable(
                  StateResult.UnavailableReason.OVERLOADED,
                  MAX_IN_FLIGHT + " requests of this connection are waiting already"),
              0,
              "",
              false));
      return;
    }
    String denial = access.denial(request.op());
    if (denial != null) {
      stats.countError(ErrorCode.ACL_DENIED);
      write(StateClientMessage.Reply.error(request.id(), ErrorCode.ACL_DENIED, denial));
      return;
    }
    inFlight++;
    stats.countRequest();
    long id = request.id();
    CompletableFuture<StateAnswer> answer;
    try {
      answer = context.requests().submit(request.op(), request.routedVersion());
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete((done, failure) -> answered(id, done, failure));
  }

  /**
   * The store answered request {@code id}: queued for the loop, which is woken once for every
   * answer that arrives before it runs. Any thread.
   */
  private void answered(long id, StateAnswer answer, Throwable failure) {
    StateClientMessage.Reply reply;
    if (failure != null || answer == null) {
      // The store never fails a request while it runs: this is a store being closed.
      reply =
          StateClientMessage.Reply.of(
              id,
              new StateResult.Unavailable(
                  StateResult.UnavailableReason.TIMEOUT, "the store did not answer"),
              0,
              "",
              false);
    } else {
      reply =
          StateClientMessage.Reply.of(
              id, answer.result(), answer.tableVersion(), answer.ownerId(), answer.forwarded());
    }
    answers.add(reply);
    if (drainScheduled.compareAndSet(false, true)) {
      ctx.channel().eventLoop().execute(this::drain);
    }
  }

  private void drain() {
    drainScheduled.set(false);
    StateClientMessage.Reply reply;
    while ((reply = answers.poll()) != null) {
      inFlight--;
      write(reply);
    }
    ctx.flush();
  }

  private void write(StateClientMessage message) {
    ctx.write(frame(message), ctx.voidPromise());
  }

  private ByteBuf frame(StateClientMessage message) {
    byte[] bytes = WireStateClientCodec.encode(message);
    return ctx.alloc().ioBuffer(4 + bytes.length).writeInt(bytes.length).writeBytes(bytes);
  }

  private static String kind(StateClientMessage message) {
    return message.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
