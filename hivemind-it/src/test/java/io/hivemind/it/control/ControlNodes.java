package io.hivemind.it.control;

import static org.awaitility.Awaitility.await;

import io.hivemind.control.ControlConfig;
import io.hivemind.control.PeerAddress;
import io.hivemind.control.RatisControlPlane;
import io.hivemind.server.control.ControlStatus;
import io.hivemind.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Control nodes in this JVM on loopback, each with a data directory of its own under {@code root}:
 * start, close, restart from the data directory, add a node that joins the formed group.
 */
final class ControlNodes implements AutoCloseable {

  static final String CLUSTER = "it";
  static final String ENVIRONMENT = "testing";

  private final Path root;
  private final UnaryOperator<ControlConfig> tweak;
  private final Map<String, ControlConfig> configs = new LinkedHashMap<>();
  private final Map<String, RatisControlPlane> running = new LinkedHashMap<>();

  private ControlNodes(Path root, UnaryOperator<ControlConfig> tweak) {
    this.root = root;
    this.tweak = tweak;
  }

  /** Forms a group of {@code count} voters named n1..nN. */
  static ControlNodes form(int count, Path root) {
    return form(count, root, UnaryOperator.identity());
  }

  static ControlNodes form(int count, Path root, UnaryOperator<ControlConfig> tweak) {
    ControlNodes nodes = new ControlNodes(root, tweak);
    List<PeerAddress> peers = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      peers.add(new PeerAddress("n" + i, "127.0.0.1:" + FreePorts.tcpAndUdp()));
    }
    for (PeerAddress peer : peers) {
      nodes.configs.put(peer.id(), nodes.config(peer, peers));
    }
    nodes.configs.keySet().forEach(nodes::start);
    return nodes;
  }

  private ControlConfig config(PeerAddress self, List<PeerAddress> initialPeers) {
    int port = Integer.parseInt(self.address().substring(self.address().lastIndexOf(':') + 1));
    return tweak.apply(
        ControlConfig.of(
            self.id(),
            "127.0.0.1",
            port,
            root.resolve(self.id()),
            CLUSTER,
            ENVIRONMENT,
            initialPeers));
  }

  /** Starts (or restarts, from its data directory) the node {@code id}. */
  RatisControlPlane start(String id) {
    RatisControlPlane plane = new RatisControlPlane(configs.get(id));
    try {
      plane.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    running.put(id, plane);
    return plane;
  }

  /** Starts a new node with no peers: it waits until a member adds it. */
  RatisControlPlane startJoining(String id) {
    PeerAddress self = new PeerAddress(id, "127.0.0.1:" + FreePorts.tcpAndUdp());
    configs.put(id, config(self, List.of()));
    return start(id);
  }

  void close(String id) {
    RatisControlPlane plane = running.remove(id);
    if (plane != null) {
      plane.close();
    }
  }

  RatisControlPlane node(String id) {
    return running.get(id);
  }

  String address(String id) {
    return configs.get(id).address();
  }

  List<RatisControlPlane> running() {
    return List.copyOf(running.values());
  }

  /** Waits until every running node names the same leader, and answers it. */
  RatisControlPlane awaitLeader(Duration within) {
    return await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(50))
        .until(this::agreedLeader, leader -> leader != null);
  }

  /** The running node every running node names as leader, or null. */
  RatisControlPlane agreedLeader() {
    String leaderAddress = null;
    for (RatisControlPlane plane : running.values()) {
      ControlStatus status = plane.status();
      if (status.degraded()
          || (leaderAddress != null && !leaderAddress.equals(status.leaderAddress()))) {
        return null;
      }
      leaderAddress = status.leaderAddress();
    }
    for (RatisControlPlane plane : running.values()) {
      if (plane.address().equals(leaderAddress)) {
        return plane;
      }
    }
    return null;
  }

  String idOf(RatisControlPlane plane) {
    return running.entrySet().stream()
        .filter(e -> e.getValue() == plane)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  @Override
  public void close() {
    List.copyOf(running.keySet()).forEach(this::close);
  }
}
