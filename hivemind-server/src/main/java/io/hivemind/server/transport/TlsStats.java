package io.hivemind.server.transport;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link MutualTls}: handshakes completed and handshakes that failed, by {@link
 * TlsRefusal}. Written by the event loops of every channel secured with it, read by any thread
 * (metrics, tests): every counter is a {@link LongAdder}.
 *
 * <p>Metric: {@code hivemind_tls_handshakes_failed_total{reason}} (docs/security.md, "Mutual TLS");
 * {@link #refused()} is the part a peer's certificate caused.
 */
public final class TlsStats {

  private final LongAdder handshakes = new LongAdder();
  private final Map<TlsRefusal, LongAdder> failures = new EnumMap<>(TlsRefusal.class);

  public TlsStats() {
    for (TlsRefusal reason : TlsRefusal.values()) {
      failures.put(reason, new LongAdder());
    }
  }

  void handshakeCompleted() {
    handshakes.increment();
  }

  void handshakeFailed(TlsRefusal reason) {
    failures.get(reason).increment();
  }

  /** Handshakes that completed: the peer's certificate was signed by the cluster CA. */
  public long handshakes() {
    return handshakes.sum();
  }

  /** Handshakes that failed for {@code reason}. */
  public long failures(TlsRefusal reason) {
    return failures.get(reason).sum();
  }

  /** Handshakes refused for the peer's certificate: untrusted or absent. */
  public long refused() {
    return failures(TlsRefusal.UNTRUSTED_CERTIFICATE) + failures(TlsRefusal.NO_CERTIFICATE);
  }
}
