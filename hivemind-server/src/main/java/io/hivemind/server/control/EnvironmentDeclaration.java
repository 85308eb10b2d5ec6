package io.hivemind.server.control;

import io.hivemind.core.control.GatewayError;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.membership.Address;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's gateway connections, declaring its environment at their handshake (issue 11: "a client
 * or peer of another environment is refused at its handshake with a clear error and a log line").
 * Wraps the connector nearest the sockets, so every {@code Follow} (the control-plane follower's,
 * with the catalogue's node id added on top) and every {@code MeshPeer} leaves carrying {@code
 * environment}; a gateway of another environment answers with a {@link
 * GatewayError#WRONG_ENVIRONMENT} failure and closes the connection, and that answer is logged here
 * as an error, since no back-off fixes it: the node's configuration is wrong.
 *
 * <p>Thread-safe and stateless past construction: connections call back on their own threads.
 */
public final class EnvironmentDeclaration implements GatewayConnector {

  private static final Logger log = LoggerFactory.getLogger(EnvironmentDeclaration.class);

  private final GatewayConnector connector;
  private final String environment;

  /**
   * @param connector the sockets (the transport's gateway client)
   * @param environment this node's environment id, as the gateways' configuration names it
   */
  public EnvironmentDeclaration(GatewayConnector connector, String environment) {
    this.connector = Objects.requireNonNull(connector, "connector");
    this.environment = Objects.requireNonNull(environment, "environment");
    if (environment.isBlank()) {
      throw new IllegalArgumentException("environment must be named, got '" + environment + "'");
    }
  }

  @Override
  public GatewayConnection connect(Address address, GatewayConnection.Listener listener) {
    GatewayConnection connection = connector.connect(address, new Refusals(address, listener));
    return new Declaring(connection);
  }

  @Override
  public void close() {
    connector.close();
  }

  /** The handshake's messages with the environment declared; everything else as it is. */
  GatewayMessage declared(GatewayMessage message) {
    if (message instanceof GatewayMessage.Follow follow) {
      return follow.withEnvironment(environment);
    }
    if (message instanceof GatewayMessage.MeshPeer peer) {
      return peer.withEnvironment(environment);
    }
    return message;
  }

  private final class Declaring implements GatewayConnection {
    private final GatewayConnection connection;

    Declaring(GatewayConnection connection) {
      this.connection = connection;
    }

    @Override
    public void send(GatewayMessage message) {
      connection.send(declared(message));
    }

    @Override
    public void close() {
      connection.close();
    }
  }

  /** Logs a gateway's refusal of this node's environment, then passes every call on. */
  private final class Refusals implements GatewayConnection.Listener {
    private final Address address;
    private final GatewayConnection.Listener listener;

    Refusals(Address address, GatewayConnection.Listener listener) {
      this.address = address;
      this.listener = listener;
    }

    @Override
    public void onOpen() {
      listener.onOpen();
    }

    @Override
    public void onMessage(GatewayMessage message) {
      if (message instanceof GatewayMessage.Failure failure
          && failure.code() == GatewayError.WRONG_ENVIRONMENT) {
        log.error(
            "the control gateway {} refused this node of environment '{}': {}",
            address,
            environment,
            failure.message());
      } else if (message instanceof GatewayMessage.Failure failure && failure.requestId() == 0) {
        // Request id 0 answers the handshake: the gateway refused this connection and closes it
        // (over mutual TLS, a declared id admitted under another name than the certificate's).
        log.error("the control gateway {} refused this node: {}", address, failure.message());
      }
      listener.onMessage(message);
    }

    @Override
    public void onClosed(String reason) {
      listener.onClosed(reason);
    }
  }
}
