package io.hivemind.server.transport;

import io.hivemind.core.control.ControlDecodeException;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.server.control.GatewayConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The follower's end of one gateway connection: decodes frames into records for the listener, and
 * tells it, exactly once, when the connection is gone and why. A frame that does not decode ends
 * the connection (the follower fails over): a gateway that sends garbage is not one to follow.
 *
 * <p>Runs on the client's event loop.
 */
final class GatewayClientHandler extends ChannelInboundHandlerAdapter {

  private final GatewayConnection.Listener listener;
  private String closeReason = "closed by the gateway";
  private boolean told;

  GatewayClientHandler(GatewayConnection.Listener listener) {
    this.listener = listener;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    listener.onOpen();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    GatewayMessage message;
    try {
      message = GatewayFrames.decode((ByteBuf) msg);
    } catch (ControlDecodeException e) {
      closeReason = "undecodable frame: " + e.getMessage();
      ctx.close();
      return;
    } finally {
      ReferenceCountUtil.release(msg);
    }
    listener.onMessage(message);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    closeReason = cause.toString();
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    tell(closeReason);
    ctx.fireChannelInactive();
  }

  /** The connect failed, so the channel never became active. */
  void connectFailed(Throwable cause) {
    tell("connect failed: " + cause.getMessage());
  }

  private synchronized void tell(String reason) {
    if (!told) {
      told = true;
      listener.onClosed(reason);
    }
  }
}
