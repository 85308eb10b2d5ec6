package io.hivemind.server.catalog;

import io.hivemind.core.control.GatewayMessage;
import io.hivemind.server.control.GatewayConnection;

/**
 * The dialing end of a catalogue link: frames go out on a gateway connection this node opened (a
 * plain agent's connection to its gateway, or a control node's mesh connection to another's).
 * Thread-safe, as the connection is.
 */
final class GatewayCatalogLink implements CatalogLink {

  private final GatewayConnection connection;
  private final LinkScope scope;
  private final String peerId;

  GatewayCatalogLink(GatewayConnection connection, LinkScope scope, String peerId) {
    this.connection = connection;
    this.scope = scope;
    this.peerId = peerId;
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
    connection.send(new GatewayMessage.Catalog(frame));
  }

  @Override
  public String toString() {
    return scope + " link to " + peerId;
  }
}
