package io.hivemind.server.control;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlDecodeException;
import io.hivemind.core.control.ControlSnapshot;
import io.hivemind.core.control.GatewayError;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.control.WireControlCodec;
import io.hivemind.core.membership.Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gateways in memory for the follower's unit tests: each serves a {@link TestLog} the way the
 * transport's gateway does (heartbeat on Follow, then the feed; submits applied to the log) and can
 * be killed (connections closed, connects refused), muted (connections stay open, nothing arrives)
 * or made to lie. Everything runs on the test thread; the follower hops its upcalls onto its manual
 * loop.
 */
final class MemoryGateways implements GatewayConnector {

  private final Map<Address, Gateway> gateways = new HashMap<>();

  Gateway add(Address address, TestLog log) {
    Gateway gateway = new Gateway(log);
    gateways.put(address, gateway);
    return gateway;
  }

  @Override
  public GatewayConnection connect(Address address, GatewayConnection.Listener listener) {
    Gateway gateway = gateways.get(address);
    Link link = new Link(gateway, listener);
    if (gateway == null || gateway.down) {
      link.close("connection refused");
    } else {
      gateway.links.add(link);
      listener.onOpen();
    }
    return link;
  }

  @Override
  public void close() {}

  /** One gateway over a log. */
  static final class Gateway {
    final TestLog log;
    final List<Link> links = new ArrayList<>();
    boolean down;
    boolean muted;
    boolean leaderKnown = true;

    Gateway(TestLog log) {
      this.log = log;
    }

    /** Closes every connection and refuses new ones. */
    void kill() {
      down = true;
      new ArrayList<>(links).forEach(l -> l.close("gateway died"));
    }

    void heartbeat() {
      new ArrayList<>(links).forEach(Link::heartbeat);
    }

    /** Sends {@code message} to every follower, whatever it is. */
    void sendToAll(GatewayMessage message) {
      new ArrayList<>(links).forEach(l -> l.deliver(message));
    }

    int connections() {
      return links.size();
    }
  }

  /** One follower's connection. */
  static final class Link implements GatewayConnection, FeedSink {
    final Gateway gateway;
    final GatewayConnection.Listener listener;
    Subscription subscription;
    boolean closed;

    Link(Gateway gateway, GatewayConnection.Listener listener) {
      this.gateway = gateway;
      this.listener = listener;
    }

    @Override
    public void send(GatewayMessage message) {
      if (closed || gateway.muted) {
        return;
      }
      if (message instanceof GatewayMessage.Follow follow) {
        heartbeat();
        subscription = gateway.log.hub.follow(follow.afterIndex(), this);
      } else if (message instanceof GatewayMessage.Submit submit) {
        deliver(submitted(submit));
      } else if (message instanceof GatewayMessage.ReadIndex read) {
        deliver(
            gateway.leaderKnown
                ? new GatewayMessage.ReadIndexResult(read.requestId(), gateway.log.index())
                : new GatewayMessage.Failure(
                    read.requestId(), GatewayError.NO_QUORUM, "no leader"));
      }
    }

    private GatewayMessage submitted(GatewayMessage.Submit submit) {
      if (!gateway.leaderKnown) {
        return new GatewayMessage.Failure(submit.requestId(), GatewayError.NO_QUORUM, "no leader");
      }
      try {
        var entry = WireControlCodec.decodeEntry(submit.entryBytes());
        ApplyResult result = gateway.log.append(entry.command());
        return new GatewayMessage.SubmitResult(
            submit.requestId(), WireControlCodec.encodeResult(result));
      } catch (ControlDecodeException e) {
        return new GatewayMessage.Failure(
            submit.requestId(), GatewayError.INVALID_REQUEST, e.getMessage());
      }
    }

    void heartbeat() {
      deliver(
          new GatewayMessage.Heartbeat(
              gateway.log.index(), gateway.leaderKnown ? "127.0.0.1:7303" : "", 1, List.of()));
    }

    void deliver(GatewayMessage message) {
      if (!closed && !gateway.muted) {
        listener.onMessage(message);
      }
    }

    @Override
    public void snapshot(long index, ControlSnapshot snapshot, byte[] snapshotBytes) {
      deliver(new GatewayMessage.Snapshot(index, snapshotBytes));
    }

    @Override
    public void entry(long index, byte[] entryBytes) {
      deliver(new GatewayMessage.Entry(index, entryBytes));
    }

    @Override
    public void close() {
      close("closed by the follower");
    }

    void close(String reason) {
      if (closed) {
        return;
      }
      closed = true;
      if (subscription != null) {
        subscription.close();
      }
      if (gateway != null) {
        gateway.links.remove(this);
      }
      listener.onClosed(reason);
    }
  }
}
