package io.hivemind.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsRefusalTest {

  @Test
  void of_emptyClientChain_noCertificate() {
    assertThat(TlsRefusal.of(new SSLHandshakeException("Empty client certificate chain")))
        .isEqualTo(TlsRefusal.NO_CERTIFICATE);
  }

  @Test
  void of_wrappedNotSslRecord_notTls() {
    assertThat(TlsRefusal.of(new DecoderException(new NotSslRecordException("x"))))
        .isEqualTo(TlsRefusal.NOT_TLS);
  }

  @Test
  void of_fatalAlertFromThePeer_peerRefused() {
    assertThat(TlsRefusal.of(new SSLException("Received fatal alert: bad_certificate")))
        .isEqualTo(TlsRefusal.PEER_REFUSED);
  }

  @Test
  void of_closedOrUnknown_other() {
    assertThat(TlsRefusal.of(new ClosedChannelException())).isEqualTo(TlsRefusal.OTHER);
    assertThat(TlsRefusal.of(new SSLHandshakeException("no cipher suites in common")))
        .isEqualTo(TlsRefusal.OTHER);
  }

  @Test
  void label_lowerCaseForMetrics() {
    assertThat(TlsRefusal.UNTRUSTED_CERTIFICATE.label()).isEqualTo("untrusted_certificate");
  }
}
