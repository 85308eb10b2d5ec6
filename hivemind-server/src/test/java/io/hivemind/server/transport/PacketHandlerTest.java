package io.hivemind.server.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.membership.Address;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The UDP side of the transport: datagrams in, opened packets (or counted drops) out. */
class PacketHandlerTest {

  private static final int MAX_DATAGRAM_BYTES = 1024;
  private static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.1", 7946);
  private static final InetSocketAddress SENDER = new InetSocketAddress("10.0.0.2", 7950);
  private static final String KEY = GossipKeyring.generateKey();
  private static final byte[] HELLO = "hello".getBytes(UTF_8);

  private final TransportStats stats = new TransportStats();
  private final RecordingHandler handler = RecordingHandler.silent();
  private EmbeddedChannel channel;

  private EmbeddedChannel udp(GossipKeyring keyring) {
    Envelope envelope = new Envelope(keyring, stats);
    channel = new EmbeddedChannel(new PacketHandler(MAX_DATAGRAM_BYTES, envelope, handler, stats));
    return channel;
  }

  @AfterEach
  void finish() {
    assertThat(channel.finishAndReleaseAll()).as("nothing left in the pipeline").isFalse();
  }

  private static DatagramPacket datagram(byte[] bytes) {
    return new DatagramPacket(Unpooled.wrappedBuffer(bytes), LOCAL, SENDER);
  }

  @Test
  void datagram_plaintext_reachesTheHandlerWithTheSendersAddress() {
    udp(null).writeInbound(datagram(HELLO));

    assertThat(handler.packets).hasSize(1);
    assertThat(handler.packets.get(0).bytes()).isEqualTo(HELLO);
    assertThat(handler.packets.get(0).from()).isEqualTo(new Address("10.0.0.2", 7950));
    assertThat(stats.packetsReceived()).isEqualTo(1);
    assertThat(stats.bytesReceived()).isEqualTo(HELLO.length);
  }

  @Test
  void datagram_sealed_isOpenedBeforeTheHandlerSeesIt() {
    byte[] sealed = GossipKeyring.of(KEY).seal(FrameKind.PACKET, HELLO);

    udp(GossipKeyring.of(KEY)).writeInbound(datagram(sealed));

    assertThat(handler.packets.get(0).bytes()).isEqualTo(HELLO);
    assertThat(stats.bytesReceived()).isEqualTo(HELLO.length + GossipKeyring.OVERHEAD_BYTES);
    assertThat(stats.droppedUnauthenticated()).isZero();
  }

  @Test
  void datagram_sealedWithAnotherKey_isDroppedAsUnauthenticated() {
    byte[] sealed = GossipKeyring.of(GossipKeyring.generateKey()).seal(FrameKind.PACKET, HELLO);

    udp(GossipKeyring.of(KEY)).writeInbound(datagram(sealed));

    assertThat(handler.packets).isEmpty();
    assertThat(stats.droppedUnauthenticated()).isEqualTo(1);
    assertThat(stats.packetsReceived()).isEqualTo(1);
  }

  @Test
  void datagram_sealedAsAStreamFrame_isDroppedAsUnauthenticated() {
    byte[] replayed = GossipKeyring.of(KEY).seal(FrameKind.STREAM_REQUEST, HELLO);

    udp(GossipKeyring.of(KEY)).writeInbound(datagram(replayed));

    assertThat(handler.packets).isEmpty();
    assertThat(stats.droppedUnauthenticated()).isEqualTo(1);
  }

  @Test
  void datagram_plaintextToAnEncryptedNode_isDroppedAsUnauthenticated() {
    udp(GossipKeyring.of(KEY)).writeInbound(datagram(new byte[100]));

    assertThat(handler.packets).isEmpty();
    assertThat(stats.droppedUnauthenticated()).isEqualTo(1);
    assertThat(stats.droppedMalformed()).isZero();
  }

  @Test
  void datagram_overTheLimit_isDroppedAsOversized() {
    EmbeddedChannel udp = udp(null);

    udp.writeInbound(datagram(new byte[MAX_DATAGRAM_BYTES + 1]));
    udp.writeInbound(datagram(new byte[MAX_DATAGRAM_BYTES]));

    assertThat(handler.packets).hasSize(1);
    assertThat(handler.packets.get(0).bytes()).hasSize(MAX_DATAGRAM_BYTES);
    assertThat(stats.droppedOversized()).isEqualTo(1);
    assertThat(stats.packetsReceived()).isEqualTo(2);
  }

  @Test
  void datagram_afterAKeyringSwap_isOpenedWithTheNewKey() {
    String newKey = GossipKeyring.generateKey();
    Envelope envelope = new Envelope(GossipKeyring.of(KEY), stats);
    channel = new EmbeddedChannel(new PacketHandler(MAX_DATAGRAM_BYTES, envelope, handler, stats));

    envelope.setKeyring(GossipKeyring.of(newKey, KEY));
    channel.writeInbound(datagram(GossipKeyring.of(newKey).seal(FrameKind.PACKET, HELLO)));
    channel.writeInbound(datagram(GossipKeyring.of(KEY).seal(FrameKind.PACKET, HELLO)));

    assertThat(handler.packets).hasSize(2);
    assertThat(stats.droppedUnauthenticated()).isZero();
  }

  @Test
  void socketError_isLoggedAndTheSocketKeepsServing() {
    EmbeddedChannel udp = udp(null);

    udp.pipeline().fireExceptionCaught(new IOException("ICMP port unreachable"));
    udp.writeInbound(datagram(HELLO));

    udp.checkException(); // nothing reached the end of the pipeline
    assertThat(udp.isOpen()).isTrue();
    assertThat(handler.packets).hasSize(1);
  }
}
