package io.hivemind.it.membership;

import static io.hivemind.it.membership.LoopbackNodes.awaitAllSee;
import static io.hivemind.it.membership.LoopbackNodes.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.api.MemberState;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.transport.GossipKeyring;
import io.hivemind.server.transport.TransportConfig;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Junk on the gossip port is counted and dropped; nothing crashes and the cluster carries on. */
class MembershipServiceGarbageIT {

  /**
   * Few enough that the burst fits a default-sized socket receive buffer (Linux caps it at
   * net.core.rmem_max, often 208 KiB): a lost datagram would never be counted.
   */
  private static final int JUNK_COUNT = 50;

  private final LoopbackNodes nodes = new LoopbackNodes();
  private final Random random = new Random(20_251_102);

  @AfterEach
  void closeAll() {
    nodes.close();
  }

  @Test
  void garbageDatagrams_plaintextNode_areDroppedByTheCore() throws IOException {
    List<MembershipService> cluster = nodes.startCluster("plain", 2, b -> b);
    MembershipService target = cluster.get(0);
    long droppedBefore = target.counters().droppedTotal();

    sendJunkDatagrams(target);

    await().until(() -> target.counters().droppedTotal() - droppedBefore >= JUNK_COUNT);
    assertStillHealthy(cluster);
  }

  @Test
  void garbageDatagrams_encryptedNode_areDroppedAsUnauthenticated() throws IOException {
    String key = GossipKeyring.generateKey();
    List<MembershipService> cluster =
        nodes.startCluster("sealed", 2, b -> b.keyring(GossipKeyring.of(key)));
    MembershipService target = cluster.get(0);

    sendJunkDatagrams(target);

    await().until(() -> target.transportStats().droppedUnauthenticated() == JUNK_COUNT);
    assertStillHealthy(cluster);
  }

  @Test
  void oversizedDatagram_isDroppedAsOversized() throws IOException {
    List<MembershipService> cluster = nodes.startCluster("plain", 2, b -> b);
    MembershipService target = cluster.get(0);

    sendDatagram(target, new byte[TransportConfig.DEFAULT_MAX_DATAGRAM_BYTES + 1_000]);

    await().until(() -> target.transportStats().droppedOversized() == 1);
    assertStillHealthy(cluster);
  }

  @Test
  void garbageStreamFrames_areDroppedByTheCore() throws IOException {
    List<MembershipService> cluster = nodes.startCluster("plain", 2, b -> b);
    MembershipService target = cluster.get(0);
    long droppedBefore = target.counters().droppedTotal();

    for (int i = 0; i < 20; i++) {
      byte[] junk = new byte[1 + random.nextInt(2_000)];
      random.nextBytes(junk);
      sendFrame(target, junk.length, junk);
    }

    await().until(() -> target.counters().droppedTotal() - droppedBefore >= 20);
    assertStillHealthy(cluster);
  }

  @Test
  void oversizedStreamFrame_isRejectedOnItsLengthPrefix() throws IOException {
    List<MembershipService> cluster = nodes.startCluster("plain", 2, b -> b);
    MembershipService target = cluster.get(0);

    sendFrame(target, Integer.MAX_VALUE, new byte[64]);
    sendFrame(target, TransportConfig.DEFAULT_MAX_FRAME_BYTES + 1, new byte[64]);

    await().until(() -> target.transportStats().droppedOversized() == 2);
    assertStillHealthy(cluster);
  }

  private void sendJunkDatagrams(MembershipService target) throws IOException {
    for (int i = 0; i < JUNK_COUNT; i++) {
      byte[] junk = new byte[random.nextInt(1_400)];
      random.nextBytes(junk);
      sendDatagram(target, junk);
    }
  }

  private static void sendDatagram(MembershipService target, byte[] bytes) throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.send(
          new DatagramPacket(
              bytes,
              bytes.length,
              InetAddress.getLoopbackAddress(),
              target.advertisedAddress().port()));
    }
  }

  private static void sendFrame(MembershipService target, int length, byte[] bytes)
      throws IOException {
    try (Socket socket =
        new Socket(InetAddress.getLoopbackAddress(), target.advertisedAddress().port())) {
      socket.setSoTimeout(5_000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(length);
      out.write(bytes);
      out.flush();
      assertThat(socket.getInputStream().read()).as("no answer to junk").isEqualTo(-1);
    } catch (IOException reset) {
      // The node may close with our bytes unread, which resets the connection: also a refusal.
      if (reset instanceof SocketTimeoutException) {
        throw reset;
      }
    }
  }

  /** No input crashed a node, and both still see each other alive and keep probing. */
  private static void assertStillHealthy(List<MembershipService> cluster) {
    long probesBefore = cluster.get(0).counters().probes();
    await().until(() -> cluster.get(0).counters().probes() > probesBefore);
    awaitAllSee(cluster, names(cluster), MemberState.ALIVE);
    for (MembershipService node : cluster) {
      assertThat(node.nodeErrors()).isZero();
      assertThat(node.state()).isEqualTo(MembershipService.State.RUNNING);
    }
  }
}
