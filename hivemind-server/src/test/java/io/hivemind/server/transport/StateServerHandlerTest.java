package io.hivemind.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.state.StateMessage;
import io.hivemind.core.state.WireStateCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One accepted state connection on an embedded channel: the hello exchange and bad input. */
class StateServerHandlerTest {

  private final StateTransportStats stats = new StateTransportStats();
  private final List<String> delivered = new ArrayList<>();
  private final EmbeddedChannel channel = new EmbeddedChannel();

  StateServerHandlerTest() {
    StateLocal local = new StateLocal("hivemind", "testing", () -> "self");
    StateFrames.installDecoder(channel.pipeline());
    channel
        .pipeline()
        .addLast(
            new StateServerHandler(
                local,
                stats,
                new StateTransport.Listener() {
                  @Override
                  public void onMessage(String fromId, StateMessage message) {
                    delivered.add(fromId + ": " + message);
                  }

                  @Override
                  public void onPeerUnreachable(String peerId) {
                    delivered.add("unreachable " + peerId);
                  }
                },
                id -> java.util.Optional.empty())); // no TLS here: nothing to check it against
    channel.pipeline().fireChannelActive();
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @Test
  void hello_ofTheSameClusterAndEnvironment_isAnsweredWithThisNodesHello() throws Exception {
    channel.writeInbound(StateFrames.hello(new StateHello("hivemind", "testing", "peer")));

    ByteBuf answer = channel.readOutbound();
    answer.skipBytes(StateFrames.LENGTH_BYTES);
    StateFrames.Inbound frame = StateFrames.decode(answer);
    answer.release();
    assertThat(frame)
        .isEqualTo(new StateFrames.HelloFrame(new StateHello("hivemind", "testing", "self")));
    assertThat(channel.isActive()).isTrue();
    assertThat(stats.accepted()).isEqualTo(1);
  }

  @Test
  void hello_ofAnotherCluster_closesAndCounts() {
    channel.writeInbound(StateFrames.hello(new StateHello("other", "testing", "peer")));

    assertThat(channel.isActive()).isFalse();
    assertThat(stats.wrongCluster()).isEqualTo(1);
    Object answer = channel.readOutbound();
    assertThat(answer).isNull();
  }

  @Test
  void hello_ofAnotherEnvironment_closesAndCounts() {
    channel.writeInbound(StateFrames.hello(new StateHello("hivemind", "production", "peer")));

    assertThat(channel.isActive()).isFalse();
    assertThat(stats.wrongCluster()).isEqualTo(1);
  }

  @Test
  void messageBeforeTheHello_closesAsMalformed() {
    channel.writeInbound(frame(StateFrames.MESSAGE, new byte[] {1, 2, 3}));

    assertThat(channel.isActive()).isFalse();
    assertThat(stats.malformed()).isEqualTo(1);
    assertThat(delivered).isEmpty();
  }

  @Test
  void secondHello_closesAsMalformed() {
    channel.writeInbound(StateFrames.hello(new StateHello("hivemind", "testing", "peer")));
    channel.writeInbound(StateFrames.hello(new StateHello("hivemind", "testing", "peer")));

    assertThat(channel.isActive()).isFalse();
    assertThat(stats.malformed()).isEqualTo(1);
  }

  @Test
  void frameOfUnknownKind_closesAsMalformed() {
    channel.writeInbound(frame((byte) 9, new byte[] {0}));

    assertThat(channel.isActive()).isFalse();
    assertThat(stats.malformed()).isEqualTo(1);
  }

  @Test
  void lengthOverTheLimit_closesAtTheLengthAndCounts() {
    ByteBuf header = Unpooled.buffer(StateFrames.LENGTH_BYTES);
    header.writeInt(WireStateCodec.MAX_FRAME_BYTES + 2);

    channel.writeInbound(header);

    assertThat(channel.isActive()).isFalse();
    assertThat(stats.oversized()).isEqualTo(1);
  }

  @Test
  void undecodableMessageAfterTheHello_closesAndDeliversNothing() {
    channel.writeInbound(StateFrames.hello(new StateHello("hivemind", "testing", "peer")));
    channel.writeInbound(frame(StateFrames.MESSAGE, new byte[] {(byte) 0xff, (byte) 0xff}));

    assertThat(channel.isActive()).isFalse();
    assertThat(stats.malformed()).isEqualTo(1);
    assertThat(delivered).isEmpty();
  }

  private static ByteBuf frame(byte kind, byte[] body) {
    ByteBuf frame = Unpooled.buffer();
    frame.writeInt(1 + body.length);
    frame.writeByte(kind);
    frame.writeBytes(body);
    return frame;
  }
}
