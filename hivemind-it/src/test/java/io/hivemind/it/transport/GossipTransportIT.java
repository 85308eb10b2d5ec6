package io.hivemind.it.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.hivemind.core.membership.Address;
import io.hivemind.server.transport.GossipBindException;
import io.hivemind.server.transport.GossipHandler;
import io.hivemind.server.transport.GossipKeyring;
import io.hivemind.server.transport.GossipTransport;
import io.hivemind.server.transport.TransportConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two transports on loopback, and raw sockets playing a hostile peer: what the handlers' unit tests
 * (hivemind-server, on embedded channels) cannot show — that the sockets are bound and wired to
 * those handlers, and what the kernel does (truncating datagrams, refusing connections).
 */
class GossipTransportIT {

  private static final String KEY = GossipKeyring.generateKey();
  private static final byte[] HELLO = "hello".getBytes(UTF_8);
  private static EventLoopGroup group;
  private final List<GossipTransport> transports = new ArrayList<>();

  @BeforeAll
  static void startGroup() {
    group = GossipTransport.newEventLoopGroup(1, "transport-it");
  }

  @AfterAll
  static void stopGroup() {
    group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly();
  }

  @AfterEach
  void closeTransports() {
    transports.forEach(GossipTransport::close);
  }

  private GossipTransport bind(GossipKeyring keyring, RecordingHandler handler) {
    return bind(TransportConfig.of("127.0.0.1", 0), keyring, handler);
  }

  private GossipTransport bind(
      TransportConfig config, GossipKeyring keyring, RecordingHandler handler) {
    GossipTransport transport = GossipTransport.bind(config, keyring, loop(), handler);
    transports.add(transport);
    return transport;
  }

  private static EventLoop loop() {
    return group.next();
  }

  private static Address at(GossipTransport transport) {
    return new Address("127.0.0.1", transport.port());
  }

  @Test
  void packet_plaintext_arrivesWithTheSendersAddress() {
    RecordingHandler receiver = new RecordingHandler(r -> null);
    GossipTransport a = bind(null, new RecordingHandler(r -> null));
    GossipTransport b = bind(null, receiver);

    loop().execute(() -> a.sendPacket(at(b), HELLO));

    await().until(() -> !receiver.packets.isEmpty());
    assertThat(receiver.packets.get(0).bytes()).isEqualTo(HELLO);
    assertThat(receiver.packets.get(0).from()).isEqualTo(at(a));
    assertThat(a.stats().packetsSent()).isEqualTo(1);
    assertThat(b.stats().packetsReceived()).isEqualTo(1);
  }

  @Test
  void packet_encrypted_isSealedOnTheWireAndOpenedOnArrival() {
    RecordingHandler receiver = new RecordingHandler(r -> null);
    GossipTransport a = bind(GossipKeyring.of(KEY), new RecordingHandler(r -> null));
    GossipTransport b = bind(GossipKeyring.of(KEY), receiver);

    loop().execute(() -> a.sendPacket(at(b), HELLO));

    await().until(() -> !receiver.packets.isEmpty());
    assertThat(receiver.packets.get(0).bytes()).isEqualTo(HELLO);
    assertThat(b.stats().bytesReceived()).isEqualTo(HELLO.length + GossipKeyring.OVERHEAD_BYTES);
  }

  @Test
  void packet_withAnotherKey_isDroppedAsUnauthenticated() {
    RecordingHandler receiver = new RecordingHandler(r -> null);
    GossipTransport a =
        bind(GossipKeyring.of(GossipKeyring.generateKey()), new RecordingHandler(r -> null));
    GossipTransport b = bind(GossipKeyring.of(KEY), receiver);

    loop().execute(() -> a.sendPacket(at(b), HELLO));

    await().until(() -> b.stats().droppedUnauthenticated() == 1);
    assertThat(receiver.packets).isEmpty();
  }

  @Test
  void packet_afterKeyringSwap_usesTheNewKey() {
    String newKey = GossipKeyring.generateKey();
    RecordingHandler receiver = new RecordingHandler(r -> null);
    GossipTransport a = bind(GossipKeyring.of(KEY), new RecordingHandler(r -> null));
    GossipTransport b = bind(GossipKeyring.of(newKey), receiver);

    a.setKeyring(GossipKeyring.of(newKey, KEY));
    loop().execute(() -> a.sendPacket(at(b), HELLO));

    await().until(() -> !receiver.packets.isEmpty());
    assertThat(b.stats().droppedUnauthenticated()).isZero();
  }

  @Test
  void stream_encrypted_deliversRequestAndResponse() {
    RecordingHandler server = new RecordingHandler(request -> "pong".getBytes(UTF_8));
    RecordingHandler client = new RecordingHandler(r -> null);
    GossipTransport a = bind(GossipKeyring.of(KEY), client);
    GossipTransport b = bind(GossipKeyring.of(KEY), server);

    loop().execute(() -> a.openStream(at(b), 7, HELLO));

    await().until(() -> client.responses.containsKey(7L));
    assertThat(client.responses.get(7L)).isEqualTo("pong".getBytes(UTF_8));
    assertThat(server.streamRequests.get(0).bytes()).isEqualTo(HELLO);
    assertThat(client.failures).isEmpty();
    assertThat(b.stats().streamsAccepted()).isEqualTo(1);
  }

  @Test
  void stream_answeredWithNull_failsAtTheOpener() {
    RecordingHandler client = new RecordingHandler(r -> null);
    GossipTransport a = bind(null, client);
    GossipTransport b = bind(null, new RecordingHandler(r -> null));

    loop().execute(() -> a.openStream(at(b), 3, HELLO));

    await().until(() -> client.failures.contains(3L));
    assertThat(a.stats().streamFailures()).isEqualTo(1);
  }

  @Test
  void stream_withAnotherKey_isRefusedAndCountedOnBothEnds() {
    RecordingHandler server = new RecordingHandler(request -> request);
    RecordingHandler client = new RecordingHandler(r -> null);
    GossipTransport a = bind(GossipKeyring.of(GossipKeyring.generateKey()), client);
    GossipTransport b = bind(GossipKeyring.of(KEY), server);

    loop().execute(() -> a.openStream(at(b), 5, HELLO));

    await().until(() -> client.failures.contains(5L));
    assertThat(b.stats().droppedUnauthenticated()).isEqualTo(1);
    assertThat(server.streamRequests).isEmpty();
  }

  @Test
  void stream_toAClosedPort_fails() throws Exception {
    int freePort;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      freePort = probe.getLocalPort(); // Nothing listens on TCP there, almost surely.
    }
    RecordingHandler client = new RecordingHandler(r -> null);
    GossipTransport a = bind(null, client);

    loop().execute(() -> a.openStream(new Address("127.0.0.1", freePort), 9, HELLO));

    await().until(() -> client.failures.contains(9L));
  }

  @Test
  void stream_silentPeer_timesOut() throws Exception {
    RecordingHandler client = new RecordingHandler(r -> null);
    TransportConfig fast =
        TransportConfig.of("127.0.0.1", 0)
            .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300));
    GossipTransport a = bind(fast, null, client);
    try (var silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      loop().execute(() -> a.openStream(new Address("127.0.0.1", silent.getLocalPort()), 1, HELLO));

      await().atMost(Duration.ofSeconds(5)).until(() -> client.failures.contains(1L));
    }
  }

  @Test
  void streamFrame_withOversizedLength_isRejectedBeforeReading() throws Exception {
    RecordingHandler server = new RecordingHandler(request -> request);
    GossipTransport b = bind(TransportConfig.of("127.0.0.1", 0), null, server);

    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), b.port())) {
      new DataOutputStream(socket.getOutputStream()).writeInt(Integer.MAX_VALUE);
      assertClosedByPeer(socket);
    }

    await().until(() -> b.stats().droppedOversized() == 1);
    assertThat(server.streamRequests).isEmpty();
  }

  @Test
  void streamFrame_withNegativeLength_isReadUnsignedAndRejectedAsOversized() throws Exception {
    GossipTransport b = bind(null, new RecordingHandler(request -> request));

    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), b.port())) {
      new DataOutputStream(socket.getOutputStream()).writeInt(-5);
      assertClosedByPeer(socket);
    }

    await().until(() -> b.stats().droppedOversized() == 1);
  }

  @Test
  void streamFrame_cutShortByThePeer_isDroppedAsMalformed() throws Exception {
    RecordingHandler server = new RecordingHandler(request -> request);
    GossipTransport b = bind(null, server);

    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), b.port())) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(100);
      out.write(HELLO);
      out.flush();
    }

    await().until(() -> b.stats().droppedMalformed() == 1);
    assertThat(server.streamRequests).isEmpty();
  }

  @Test
  void streamFrame_plaintextToAnEncryptedNode_isUnauthenticated() throws Exception {
    GossipTransport b = bind(GossipKeyring.of(KEY), new RecordingHandler(request -> request));

    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), b.port())) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(HELLO.length);
      out.write(HELLO);
      assertClosedByPeer(socket);
    }

    await().until(() -> b.stats().droppedUnauthenticated() == 1);
  }

  @Test
  void inboundStreams_overTheLimit_areClosedAtOnce() throws Exception {
    GossipTransport b =
        bind(
            TransportConfig.of("127.0.0.1", 0).withMaxInboundStreams(1),
            null,
            new RecordingHandler(request -> request));

    try (Socket first = new Socket(InetAddress.getLoopbackAddress(), b.port());
        Socket second = new Socket(InetAddress.getLoopbackAddress(), b.port())) {
      assertClosedByPeer(second);
      assertThat(echo(first, HELLO)).isEqualTo(HELLO); // the one within the limit is served
    }
    await().until(() -> b.stats().streamsRejected() == 1);
  }

  @Test
  void datagram_overTheLimit_isDroppedAsOversized() throws Exception {
    RecordingHandler receiver = new RecordingHandler(r -> null);
    GossipTransport b = bind(null, receiver);

    sendDatagram(b, new byte[TransportConfig.DEFAULT_MAX_DATAGRAM_BYTES + 100]);
    sendDatagram(b, new byte[TransportConfig.DEFAULT_MAX_DATAGRAM_BYTES]);

    await().until(() -> receiver.packets.size() == 1);
    assertThat(b.stats().droppedOversized()).isEqualTo(1);
    assertThat(receiver.packets.get(0).bytes()).hasSize(TransportConfig.DEFAULT_MAX_DATAGRAM_BYTES);
  }

  @Test
  void bind_portInUse_namesTheAddress() {
    GossipTransport first = bind(null, new RecordingHandler(r -> null));

    assertThatThrownBy(
            () ->
                bind(
                    TransportConfig.of("127.0.0.1", first.port()),
                    null,
                    new RecordingHandler(r -> null)))
        .isInstanceOf(GossipBindException.class)
        .hasMessageContaining("cannot bind gossip UDP port 127.0.0.1:" + first.port());
  }

  @Test
  void close_isIdempotent_andStopsSending() {
    GossipTransport a = bind(null, new RecordingHandler(r -> null));
    RecordingHandler receiver = new RecordingHandler(r -> null);
    GossipTransport b = bind(null, receiver);

    a.close();
    a.close();
    loop().execute(() -> a.sendPacket(at(b), HELLO));
    loop().execute(() -> a.sendPacket(at(b), HELLO));

    await().during(Duration.ofMillis(300)).until(() -> receiver.packets.isEmpty());
    assertThat(a.stats().packetsSent()).isZero();
  }

  private static void sendDatagram(GossipTransport to, byte[] bytes) throws Exception {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.send(
          new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), to.port()));
    }
  }

  /** Sends one frame on {@code socket} and reads the one frame that comes back. */
  private static byte[] echo(Socket socket, byte[] request) throws IOException {
    socket.setSoTimeout(5_000);
    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
    out.writeInt(request.length);
    out.write(request);
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] response = new byte[in.readInt()];
    in.readFully(response);
    return response;
  }

  /** Reads until the peer closes the connection (a FIN or, with unread data, a reset). */
  private static void assertClosedByPeer(Socket socket) throws IOException {
    socket.setSoTimeout(5_000);
    try {
      while (socket.getInputStream().read() != -1) {
        // Discard whatever comes before the close.
      }
    } catch (SocketTimeoutException e) {
      fail("the peer kept the connection open");
    } catch (IOException reset) {
      // Closed with our bytes unread: the kernel resets instead of sending a FIN.
    }
  }

  /**
   * A {@link GossipHandler} that records what arrives (on the transport's loop, read by the test's
   * thread) and answers streams with a function.
   */
  private static final class RecordingHandler implements GossipHandler {

    record Received(Address from, byte[] bytes) {}

    final List<Received> packets = new CopyOnWriteArrayList<>();
    final List<Received> streamRequests = new CopyOnWriteArrayList<>();
    final Map<Long, byte[]> responses = new ConcurrentHashMap<>();
    final List<Long> failures = new CopyOnWriteArrayList<>();
    private final UnaryOperator<byte[]> answer;

    RecordingHandler(UnaryOperator<byte[]> answer) {
      this.answer = answer;
    }

    @Override
    public void onPacket(Address from, byte[] packet) {
      packets.add(new Received(from, packet));
    }

    @Override
    public byte[] onStreamRequest(Address from, byte[] request) {
      streamRequests.add(new Received(from, request));
      return answer.apply(request);
    }

    @Override
    public void onStreamResponse(long streamId, byte[] response) {
      responses.put(streamId, response);
    }

    @Override
    public void onStreamFailure(long streamId) {
      failures.add(streamId);
    }
  }
}
