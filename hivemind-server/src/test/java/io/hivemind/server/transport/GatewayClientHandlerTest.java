package io.hivemind.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.control.WireGatewayCodec;
import io.hivemind.server.control.GatewayConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The follower's end of a connection: decoded messages up, and one close, always with a reason. */
class GatewayClientHandlerTest {

  private final List<String> calls = new ArrayList<>();
  private final GatewayClientHandler handler =
      new GatewayClientHandler(
          new GatewayConnection.Listener() {
            @Override
            public void onOpen() {
              calls.add("open");
            }

            @Override
            public void onMessage(GatewayMessage message) {
              calls.add(message.getClass().getSimpleName());
            }

            @Override
            public void onClosed(String reason) {
              calls.add("closed: " + reason);
            }
          });

  private EmbeddedChannel channel(int maxFrameBytes) {
    // Installed by an initializer, so the handler is there when the channel becomes active.
    return new EmbeddedChannel(
        new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            GatewayFrames.installDecoder(channel.pipeline(), maxFrameBytes);
            channel.pipeline().addLast(handler);
          }
        });
  }

  private static ByteBuf frame(byte[] body) {
    return Unpooled.buffer().writeInt(body.length).writeBytes(body);
  }

  @Test
  void frames_reachTheListenerDecoded_thenOneClose() {
    EmbeddedChannel channel = channel(1_024);
    channel.writeInbound(frame(WireGatewayCodec.encode(new GatewayMessage.Follow(1))));
    channel.close();
    handler.connectFailed(new IllegalStateException("late")); // a second close is not told

    assertThat(calls).containsExactly("open", "Follow", "closed: closed by the gateway");
  }

  @Test
  void undecodableFrame_closesWithTheReason() {
    EmbeddedChannel channel = channel(1_024);
    channel.writeInbound(frame(new byte[] {(byte) 0xff, (byte) 0xff, 0x01}));

    assertThat(channel.isActive()).isFalse();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1)).startsWith("closed: undecodable frame: not a gateway frame");
  }

  @Test
  void oversizedFrame_fromAGateway_closesBeforeAllocating() {
    EmbeddedChannel channel = channel(1_024);
    channel.writeInbound(Unpooled.buffer(4).writeInt(Integer.MAX_VALUE));

    assertThat(channel.isActive()).isFalse();
    assertThat(calls.get(1)).contains("TooLongFrameException");
  }

  @Test
  void failedConnect_isToldOnce() {
    handler.connectFailed(new IllegalStateException("refused"));
    handler.connectFailed(new IllegalStateException("refused again"));
    assertThat(calls).containsExactly("closed: connect failed: refused");
  }
}
