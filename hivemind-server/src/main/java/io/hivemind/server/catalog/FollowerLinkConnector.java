package io.hivemind.server.catalog;

import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.membership.Address;
import io.hivemind.server.control.GatewayConnection;
import io.hivemind.server.control.GatewayConnector;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A plain agent's gateway connections, carrying its catalogue link too: wraps the connector the
 * control-plane follower uses, so the catalogue rides the follower's one connection (with its TLS,
 * failover and back-off) without the follower knowing. The follower's {@code Follow} goes out
 * declaring this node's id, and the link opens right after it (the gateway accepts catalogue frames
 * only once it knows who the follower is); catalogue frames from the gateway go to the replication,
 * everything else to the follower.
 *
 * <p>Thread-safe: connections call back on their own threads.
 */
public final class FollowerLinkConnector implements GatewayConnector {

  private final GatewayConnector connector;
  private final CatalogLinks links;
  private final Supplier<String> nodeId;

  /**
   * @param connector the sockets (the transport's gateway client)
   * @param links this node's replication
   * @param nodeId this node's current id: the owner of its instances, declared to the gateway (it
   *     changes when the node rejoins after a removal)
   */
  public FollowerLinkConnector(
      GatewayConnector connector, CatalogLinks links, Supplier<String> nodeId) {
    this.connector = Objects.requireNonNull(connector, "connector");
    this.links = Objects.requireNonNull(links, "links");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
  }

  @Override
  public GatewayConnection connect(Address address, GatewayConnection.Listener listener) {
    Uplink uplink = new Uplink(address, listener);
    uplink.connection = connector.connect(address, uplink);
    return uplink;
  }

  @Override
  public void close() {
    connector.close();
  }

  /** One connection: the follower's view of it, and its listener, with the link in between. */
  private final class Uplink implements GatewayConnection, GatewayConnection.Listener {
    private final Address address;
    private final GatewayConnection.Listener follower;
    private volatile GatewayConnection connection;
    private volatile CatalogLink link;

    Uplink(Address address, GatewayConnection.Listener follower) {
      this.address = address;
      this.follower = follower;
    }

    @Override
    public void send(GatewayMessage message) {
      if (message instanceof GatewayMessage.Follow follow) {
        String declared = nodeId.get();
        connection.send(follow.withNodeId(declared));
        if (link == null) {
          link =
              new GatewayCatalogLink(
                  connection,
                  LinkScope.UPLINK,
                  address.toString(),
                  declared,
                  nodeId,
                  links::isAdmitted);
          links.attach(link);
        }
        return;
      }
      connection.send(message);
    }

    @Override
    public void close() {
      connection.close();
    }

    @Override
    public void onOpen() {
      follower.onOpen();
    }

    @Override
    public void onMessage(GatewayMessage message) {
      if (message instanceof GatewayMessage.Catalog frame) {
        CatalogLink open = link;
        if (open != null) {
          links.received(open, frame.frameBytes());
        }
        return;
      }
      follower.onMessage(message);
    }

    @Override
    public void onClosed(String reason) {
      CatalogLink open = link;
      if (open != null) {
        links.detached(open);
      }
      follower.onClosed(reason);
    }
  }
}
