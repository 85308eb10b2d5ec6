package io.hivemind.server.catalog;

import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.membership.Address;
import io.hivemind.server.control.GatewayConnection;
import io.hivemind.server.control.GatewayConnector;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A control node's catalogue links to the other control nodes (ADR 0004): every control node relays
 * its followers' changes to the others, which pass them to theirs. Each pair of control nodes keeps
 * one connection, opened by the one whose name sorts first (the supplier lists only the peers this
 * node dials), to the other's gateway; it declares itself with {@code MeshPeer} and then carries
 * catalogue frames only. A connection that fails or closes is opened again at the next round.
 *
 * <p>Owning thread: the executor given (the replica's); connection upcalls hop onto it. Lifecycle:
 * {@link #start} once, {@link #close} closes every connection.
 */
public final class MeshLinks implements AutoCloseable {

  /**
   * How often missing links are (re)opened: quick enough that a restarted control node rejoins the
   * mesh within a second or two, rare enough that a peer that is down costs one connect attempt a
   * second.
   */
  public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(MeshLinks.class);

  private final CatalogLinks links;
  private final Supplier<String> nodeId;
  private final GatewayConnector connector;
  private final Supplier<Map<String, Address>> peers;
  private final ScheduledExecutorService executor;
  private final Duration retryInterval;
  private final Map<String, Peer> open = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private ScheduledFuture<?> rounds;

  /**
   * @param nodeId this node's id, declared to the peers (they check it is a control node)
   * @param peers the control nodes this node dials, by name, with their gateway addresses (asked
   *     afresh each round)
   */
  public MeshLinks(
      CatalogLinks links,
      Supplier<String> nodeId,
      GatewayConnector connector,
      Supplier<Map<String, Address>> peers,
      ScheduledExecutorService executor,
      Duration retryInterval) {
    this.links = Objects.requireNonNull(links, "links");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.connector = Objects.requireNonNull(connector, "connector");
    this.peers = Objects.requireNonNull(peers, "peers");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.retryInterval = Objects.requireNonNull(retryInterval, "retryInterval");
  }

  public void start() {
    long every = retryInterval.toMillis();
    rounds = executor.scheduleWithFixedDelay(this::round, 0, every, TimeUnit.MILLISECONDS);
  }

  /** Mesh links open now. */
  public int openLinks() {
    return (int) open.values().stream().filter(peer -> peer.link != null).count();
  }

  private void round() {
    if (closed) {
      return;
    }
    try {
      Map<String, Address> wanted = peers.get();
      open.entrySet()
          .removeIf(
              entry -> {
                Peer peer = entry.getValue();
                boolean stale = !peer.address.equals(wanted.get(entry.getKey()));
                if (stale) {
                  peer.connection.close(); // gone from gossip, or moved
                }
                return stale;
              });
      wanted.forEach(
          (name, address) -> {
            if (!open.containsKey(name)) {
              open.put(name, dial(name, address));
            }
          });
    } catch (RuntimeException e) {
      log.warn("catalogue mesh round failed; the next one tries again", e);
    }
  }

  private Peer dial(String name, Address address) {
    Peer peer = new Peer(name, address);
    peer.connection = connector.connect(address, peer);
    return peer;
  }

  private void hop(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // the node is closing
    }
  }

  @Override
  public void close() {
    closed = true;
    if (rounds != null) {
      rounds.cancel(false);
    }
    hop(
        () -> {
          open.values().forEach(peer -> peer.connection.close());
          open.clear();
        });
  }

  /** One mesh connection and its upcalls (hopped onto the executor). */
  private final class Peer implements GatewayConnection.Listener {
    private final String name;
    private final Address address;
    private GatewayConnection connection;
    private volatile CatalogLink link;

    Peer(String name, Address address) {
      this.name = name;
      this.address = address;
    }

    @Override
    public void onOpen() {
      hop(
          () -> {
            if (closed || open.get(name) != this) {
              return;
            }
            String declared = nodeId.get();
            connection.send(new GatewayMessage.MeshPeer(declared));
            link =
                new GatewayCatalogLink(
                    connection, LinkScope.MESH, name, declared, nodeId, links::isAdmitted);
            links.attach(link);
            log.info("catalogue mesh link to {} ({}) open", name, address);
          });
    }

    @Override
    public void onMessage(GatewayMessage message) {
      if (message instanceof GatewayMessage.Catalog frame) {
        hop(
            () -> {
              if (link != null) {
                links.received(link, frame.frameBytes());
              }
            });
      } // heartbeats only say the link is alive
    }

    @Override
    public void onClosed(String reason) {
      hop(
          () -> {
            if (link != null) {
              links.detached(link);
              log.info("catalogue mesh link to {} closed: {}", name, reason);
            }
            link = null;
            if (open.get(name) == this) {
              open.remove(name); // the next round dials again
            }
          });
    }
  }
}
