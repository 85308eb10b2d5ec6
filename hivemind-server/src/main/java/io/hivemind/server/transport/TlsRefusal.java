package io.hivemind.server.transport;

import io.hivemind.server.tls.UntrustedCertificateException;
import io.netty.handler.ssl.NotSslRecordException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Why a TLS handshake failed, as far as this end can tell: the label of {@link TlsStats}' counter
 * and the key of the rate-limited log line.
 */
public enum TlsRefusal {
  /**
   * The peer's certificate is not vouched for by the cluster CA (another CA, expired, self-signed).
   */
  UNTRUSTED_CERTIFICATE,
  /** The peer sent no certificate, and mutual TLS requires one. */
  NO_CERTIFICATE,
  /**
   * The peer refused us: it sent a fatal alert, most often because it does not trust our
   * certificate (a node of another cluster refuses ours before it shows its own).
   */
  PEER_REFUSED,
  /** The peer did not speak TLS at all (plaintext, or another protocol, on a TLS port). */
  NOT_TLS,
  /** Anything else: no common protocol version, the peer closed, the handshake timed out. */
  OTHER;

  /** The label a metric carries: {@code untrusted_certificate}, {@code no_certificate}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The reason behind {@code cause}, the failure of a handshake's future or event.
   *
   * <p>An untrusted chain is recognised by the exception our trust manager throws. A missing
   * certificate is refused by the JDK before any trust manager runs, so it is recognised by the
   * JDK's wording ("Empty client certificate chain"); a JDK that words it otherwise moves those
   * refusals to {@link #OTHER}, where they are still counted (and the IT would fail).
   */
  static TlsRefusal of(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof UntrustedCertificateException) {
        return UNTRUSTED_CERTIFICATE;
      }
      if (t instanceof NotSslRecordException) {
        return NOT_TLS;
      }
      if (t instanceof SSLHandshakeException
          && t.getMessage() != null
          && t.getMessage().contains("Empty client certificate chain")) {
        return NO_CERTIFICATE;
      }
      if (t instanceof SSLException
          && t.getMessage() != null
          && t.getMessage().startsWith("Received fatal alert")) {
        return PEER_REFUSED;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return OTHER;
  }
}
