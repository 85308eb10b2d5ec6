package io.hivemind.server.catalog;

import io.hivemind.core.control.GatewayMessage;
import io.hivemind.server.control.GatewayConnection;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The dialing end of a catalogue link: frames go out on a gateway connection this node opened (a
 * plain agent's connection to its gateway, or a control node's mesh connection to another's).
 *
 * <p>The connection declared this node's id when it opened, and the gateway accepts only that
 * owner's changes on it. A node the cluster removed rejoins under a new id (its instances move to
 * the new owner), so once the id changed the link drops what it would send (the gateway would
 * refuse the new owner's changes on it) and, once the new id is admitted, closes its connection:
 * the connection is opened again (the follower fails over, the mesh redials) declaring the new id,
 * and the new link's digest exchange publishes the new owner's state. Not sooner: on a plain agent
 * this is the connection its admission request travels on, and closing it under that request drops
 * it.
 *
 * <p>Thread-safe, as the connection is.
 */
final class GatewayCatalogLink implements CatalogLink {

  private final GatewayConnection connection;
  private final LinkScope scope;
  private final String peerId;
  private final String declaredId;
  private final Supplier<String> currentId;
  private final Predicate<String> admitted;

  GatewayCatalogLink(
      GatewayConnection connection,
      LinkScope scope,
      String peerId,
      String declaredId,
      Supplier<String> currentId,
      Predicate<String> admitted) {
    this.connection = connection;
    this.scope = scope;
    this.peerId = peerId;
    this.declaredId = declaredId;
    this.currentId = currentId;
    this.admitted = admitted;
  }

  @Override
  public LinkScope scope() {
    return scope;
  }

  @Override
  public String peerId() {
    return peerId;
  }

  @Override
  public boolean dialed() {
    return true;
  }

  @Override
  public void send(byte[] frame) {
    String current = currentId.get();
    if (!declaredId.equals(current)) {
      if (admitted.test(current)) {
        connection.close(); // declared an id this node no longer has: reopen under the new one
      }
      return;
    }
    connection.send(new GatewayMessage.Catalog(frame));
  }

  @Override
  public String toString() {
    return scope + " link to " + peerId;
  }
}
