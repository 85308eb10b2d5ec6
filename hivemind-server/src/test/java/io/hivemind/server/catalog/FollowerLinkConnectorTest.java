package io.hivemind.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.membership.Address;
import io.hivemind.server.control.GatewayConnection;
import io.hivemind.server.control.GatewayConnector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plain agent's catalogue link riding its control-plane follower's gateway connection. */
class FollowerLinkConnectorTest {

  private final List<GatewayMessage> sent = new ArrayList<>();
  private final List<GatewayMessage> toFollower = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private GatewayConnection.Listener transport;
  private CatalogLink attached;
  private int closes;

  private final GatewayConnector sockets =
      new GatewayConnector() {
        @Override
        public GatewayConnection connect(Address address, GatewayConnection.Listener listener) {
          transport = listener;
          return new GatewayConnection() {
            @Override
            public void send(GatewayMessage message) {
              sent.add(message);
            }

            @Override
            public void close() {
              closes++;
            }
          };
        }

        @Override
        public void close() {}
      };

  private final Set<String> admitted = new HashSet<>(Set.of("node-a"));
  private final CatalogLinks links =
      new CatalogLinks() {
        @Override
        public void attach(CatalogLink link) {
          attached = link;
          events.add("attach " + link.scope() + " dialed=" + link.dialed());
        }

        @Override
        public void received(CatalogLink link, byte[] frame) {
          events.add("frame " + frame.length);
        }

        @Override
        public void detached(CatalogLink link) {
          events.add("detach");
        }

        @Override
        public boolean isControlPeer(String nodeId) {
          return false;
        }

        @Override
        public boolean isAdmitted(String nodeId) {
          return admitted.contains(nodeId);
        }
      };

  private final GatewayConnection.Listener follower =
      new GatewayConnection.Listener() {
        @Override
        public void onOpen() {
          events.add("open");
        }

        @Override
        public void onMessage(GatewayMessage message) {
          toFollower.add(message);
        }

        @Override
        public void onClosed(String reason) {
          events.add("closed");
        }
      };

  @Test
  void follow_declaresTheNodeId_thenTheLinkOpens_andCatalogueFramesBypassTheFollower() {
    GatewayConnection connection =
        new FollowerLinkConnector(sockets, links, () -> "node-a")
            .connect(new Address("127.0.0.1", 7303), follower);
    transport.onOpen();
    transport.onMessage(new GatewayMessage.Catalog(new byte[] {1, 2}));
    connection.send(new GatewayMessage.Follow(4));
    transport.onMessage(new GatewayMessage.Catalog(new byte[] {1, 2, 3}));
    transport.onMessage(new GatewayMessage.Heartbeat(1, "", 1, List.of()));
    connection.send(new GatewayMessage.ReadIndex(9));
    transport.onClosed("gone");

    assertThat(sent)
        .containsExactly(new GatewayMessage.Follow(4, "node-a"), new GatewayMessage.ReadIndex(9));
    assertThat(toFollower).containsExactly(new GatewayMessage.Heartbeat(1, "", 1, List.of()));
    // The frame before the Follow had no link yet: dropped, as the gateway would not accept it.
    assertThat(events)
        .containsExactly("open", "attach UPLINK dialed=true", "frame 3", "detach", "closed");
  }

  @Test
  void ownIdRenewed_theLinkDropsUntilTheNewIdIsAdmitted_thenClosesSoItIsReopenedUnderIt() {
    String[] id = {"node-a"};
    GatewayConnection connection =
        new FollowerLinkConnector(sockets, links, () -> id[0])
            .connect(new Address("127.0.0.1", 7303), follower);
    transport.onOpen();
    connection.send(new GatewayMessage.Follow(0));
    attached.send(new byte[] {1});
    assertThat(sent).hasSize(2);
    assertThat(closes).isZero();

    id[0] = "node-a2"; // the cluster removed node-a; it asks to rejoin as node-a2
    attached.send(new byte[] {2});
    // Its admission request travels on this connection: closing it now would drop the request.
    assertThat(sent).hasSize(2);
    assertThat(closes).isZero();

    admitted.add("node-a2");
    attached.send(new byte[] {3});
    assertThat(sent).hasSize(2);
    assertThat(closes).isEqualTo(1);
  }
}
