package io.hivemind.it.control.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlEntry;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.control.WireControlCodec;
import io.hivemind.core.membership.Address;
import io.hivemind.server.control.GatewayConnection;
import io.hivemind.server.transport.ControlGatewayClient;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One raw connection to a control gateway, as a follower (or a hostile node) speaks it: what it
 * sends is up to the test, what it received is kept in order.
 */
final class GatewayLink implements GatewayConnection.Listener {

  static final Duration WAIT = Duration.ofSeconds(20);

  private final BlockingQueue<Boolean> opened = new LinkedBlockingQueue<>();
  private final BlockingQueue<GatewayMessage> received = new LinkedBlockingQueue<>();
  private volatile GatewayConnection connection;
  private volatile boolean closed;

  private GatewayLink() {}

  /** Connects through {@code client} to the gateway on loopback at {@code port}, and waits. */
  static GatewayLink open(ControlGatewayClient client, int port) throws InterruptedException {
    GatewayLink link = new GatewayLink();
    link.connection = client.connect(new Address("127.0.0.1", port), link);
    assertThat(link.opened.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return link;
  }

  @Override
  public void onOpen() {
    opened.add(true);
  }

  @Override
  public void onMessage(GatewayMessage message) {
    received.add(message);
  }

  @Override
  public void onClosed(String reason) {
    closed = true;
    opened.add(false);
  }

  boolean closed() {
    return closed;
  }

  void send(GatewayMessage message) {
    connection.send(message);
  }

  /** Submits {@code command} as request {@code requestId}, for a request with {@code aclToken}. */
  void submit(long requestId, ControlCommand command, String aclToken) {
    byte[] entry =
        WireControlCodec.encodeEntry(ControlEntry.of(System.currentTimeMillis(), command));
    connection.send(new GatewayMessage.Submit(requestId, entry, aclToken));
  }

  /** The next message of {@code type}, skipping others (heartbeats, the feed). */
  <T extends GatewayMessage> T next(Class<T> type) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      GatewayMessage message = received.poll(100, TimeUnit.MILLISECONDS);
      if (type.isInstance(message)) {
        return type.cast(message);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " within " + WAIT);
  }

  /** The answer to request {@code requestId}: its result or its failure, skipping the rest. */
  GatewayMessage answer(long requestId) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      GatewayMessage message = received.poll(100, TimeUnit.MILLISECONDS);
      if (message instanceof GatewayMessage.SubmitResult r && r.requestId() == requestId
          || message instanceof GatewayMessage.Failure f && f.requestId() == requestId) {
        return message;
      }
    }
    throw new AssertionError("no answer to request " + requestId + " within " + WAIT);
  }
}
