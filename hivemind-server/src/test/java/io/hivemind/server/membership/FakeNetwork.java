package io.hivemind.server.membership;

import io.hivemind.core.membership.Address;
import io.hivemind.server.loop.ManualLoop;
import io.hivemind.server.transport.ConnectFailure;
import io.hivemind.server.transport.GossipHandler;
import io.hivemind.server.transport.GossipKeyring;
import io.hivemind.server.transport.TransportStats;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory gossip network on one {@link ManualLoop}: whatever a node sends reaches its
 * recipient {@link #LATENCY_MILLIS} later in virtual time, as a loop task (never from inside the
 * send, as the real transport promises). An address nobody is bound to, or whose transport closed
 * (a crashed node), loses packets and refuses streams at once, as a port nobody listens on does. A
 * {@link #silence silenced} address is a host that hangs: its streams fail after the read timeout.
 * An {@link #alias} is a second address of a bound node. No sockets, no encryption: keys are the
 * real transport's business and are tested with it.
 */
final class FakeNetwork {

  static final long LATENCY_MILLIS = 1;

  private final ManualLoop loop;
  private final long readTimeoutMillis;
  private final Map<Address, FakeTransport> bound = new HashMap<>();
  private final Map<Address, Integer> streamsOpened = new HashMap<>();
  private final Map<Address, Address> aliases = new HashMap<>();
  private final Set<Address> silent = new HashSet<>();
  private final Set<Address> selfConnecting = new HashSet<>();

  /**
   * @param readTimeout after how long a stream nobody answers fails, as the real transport's read
   *     timeout (the core's stream timeout) makes it
   */
  FakeNetwork(ManualLoop loop, Duration readTimeout) {
    this.loop = loop;
    this.readTimeoutMillis = readTimeout.toMillis();
  }

  /** Streams to {@code address} connect and are never answered; packets to it are lost. */
  void silence(Address address) {
    silent.add(address);
  }

  /**
   * A stream to {@code address} gets its own request back as the response: a TCP self-connect,
   * which Linux makes to a free port of the ephemeral range on the connecting host.
   */
  void selfConnect(Address address) {
    selfConnecting.add(address);
  }

  /** Whatever is sent to {@code address} reaches the node bound at {@code target}. */
  void alias(Address address, Address target) {
    aliases.put(address, target);
  }

  private FakeTransport recipient(Address to) {
    return silent.contains(to) ? null : bound.get(aliases.getOrDefault(to, to));
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
    FakeTransport target = recipient(to);
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
      FakeTransport target = recipient(to);
      if (closed) {
        return;
      }
      if (silent.contains(to)) {
        loop.schedule(() -> respond(streamId, null), readTimeoutMillis); // the read timeout
        return;
      }
      if (selfConnecting.contains(to)) {
        loop.schedule(() -> respond(streamId, request), LATENCY_MILLIS);
        return;
      }
      if (target == null) {
        handler.onStreamConnectFailure(
            streamId,
            new ConnectFailure(ConnectFailure.Kind.REFUSED, "Connection refused: /" + to));
        handler.onStreamFailure(streamId);
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
