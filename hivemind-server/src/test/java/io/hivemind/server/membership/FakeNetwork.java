package io.hivemind.server.membership;

import io.hivemind.core.membership.Address;
import io.hivemind.server.loop.ManualLoop;
import io.hivemind.server.transport.GossipHandler;
import io.hivemind.server.transport.GossipKeyring;
import io.hivemind.server.transport.TransportStats;
import java.util.HashMap;
import java.util.Map;

/**
 * An in-memory gossip network on one {@link ManualLoop}: whatever a node sends reaches its
 * recipient {@link #LATENCY_MILLIS} later in virtual time, as a loop task (never from inside the
 * send, as the real transport promises). An address nobody is bound to, or whose transport closed
 * (a crashed node), loses packets and refuses streams. No sockets, no encryption: keys are the real
 * transport's business and are tested with it.
 */
final class FakeNetwork {

  static final long LATENCY_MILLIS = 1;

  private final ManualLoop loop;
  private final Map<Address, FakeTransport> bound = new HashMap<>();
  private final Map<Address, Integer> streamsOpened = new HashMap<>();

  FakeNetwork(ManualLoop loop) {
    this.loop = loop;
  }

  /** Binds the next transport at {@code address}. */
  NodeTransport.Binder binder(Address address) {
    return handler -> {
      FakeTransport transport = new FakeTransport(address, handler);
      if (bound.putIfAbsent(address, transport) != null) {
        throw new IllegalStateException(address + " is bound already");
      }
      return transport;
    };
  }

  /** The transport bound at {@code address}, if any. */
  FakeTransport at(Address address) {
    return bound.get(address);
  }

  /** Streams any node opened to {@code to} so far (join attempts, push-pulls, fallback probes). */
  int streamsOpenedTo(Address to) {
    return streamsOpened.getOrDefault(to, 0);
  }

  /** Delivers {@code bytes} to {@code to} as a datagram from {@code from}, which need not exist. */
  void inject(Address from, Address to, byte[] bytes) {
    loop.schedule(() -> deliverPacket(from, to, bytes), LATENCY_MILLIS);
  }

  private void deliverPacket(Address from, Address to, byte[] packet) {
    FakeTransport target = bound.get(to);
    if (target != null) {
      target.handler.onPacket(from, packet);
    }
  }

  /** One node's end of the network. */
  final class FakeTransport implements NodeTransport {
    private final Address address;
    private final GossipHandler handler;
    private final TransportStats stats = new TransportStats();
    private boolean closed;
    private RuntimeException nextSendFailure;
    GossipKeyring keyring;

    FakeTransport(Address address, GossipHandler handler) {
      this.address = address;
      this.handler = handler;
    }

    /** Makes the next {@link #sendPacket} throw {@code failure}, as a bug in a transport would. */
    void failNextSend(RuntimeException failure) {
      nextSendFailure = failure;
    }

    @Override
    public int port() {
      return address.port();
    }

    @Override
    public void sendPacket(Address to, byte[] packet) {
      if (nextSendFailure != null) {
        RuntimeException failure = nextSendFailure;
        nextSendFailure = null;
        throw failure;
      }
      if (!closed) {
        loop.schedule(() -> deliverPacket(address, to, packet), LATENCY_MILLIS);
      }
    }

    @Override
    public void openStream(Address to, long streamId, byte[] request) {
      streamsOpened.merge(to, 1, Integer::sum);
      loop.schedule(() -> request(to, streamId, request), LATENCY_MILLIS);
    }

    private void request(Address to, long streamId, byte[] request) {
      FakeTransport target = bound.get(to);
      if (closed) {
        return;
      }
      if (target == null) {
        handler.onStreamFailure(streamId); // refused
        return;
      }
      byte[] response = target.handler.onStreamRequest(address, request);
      loop.schedule(() -> respond(streamId, response), LATENCY_MILLIS);
    }

    private void respond(long streamId, byte[] response) {
      if (closed) {
        return;
      }
      if (response == null) {
        handler.onStreamFailure(streamId);
      } else {
        handler.onStreamResponse(streamId, response);
      }
    }

    @Override
    public TransportStats stats() {
      return stats;
    }

    @Override
    public void setKeyring(GossipKeyring value) {
      keyring = value;
    }

    @Override
    public void close() {
      closed = true;
      bound.remove(address, this);
    }
  }
}
