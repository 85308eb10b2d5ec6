package io.hivemind.server.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Whether a peer's TLS certificate names a host: its subject alternative names (DNS names, compared
 * without case, and IP addresses, compared as addresses). The cluster CA signs every node's
 * certificate, so any node can present one; this ties the member a peer claims to be to the host
 * the control plane admitted that member at, so a node cannot speak for a member on another host
 * (RFC 6125 style, without wildcards: node certificates name their hosts exactly).
 */
final class PeerCertificates {

  private static final int DNS_NAME = 2;
  private static final int IP_ADDRESS = 7;

  private PeerCertificates() {}

  /** True when {@code certificate} names {@code host} (a DNS name or an IP literal). */
  static boolean names(X509Certificate certificate, String host) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (names == null) {
      return false;
    }
    byte[] address = ipLiteral(host);
    for (List<?> name : names) {
      if (name.size() < 2 || !(name.get(0) instanceof Integer type)) {
        continue;
      }
      Object value = name.get(1);
      if (type == DNS_NAME && value instanceof String dns && address == null) {
        if (dns.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT))) {
          return true;
        }
      } else if (type == IP_ADDRESS && value instanceof String ip && address != null) {
        byte[] named = ipLiteral(ip);
        if (named != null && java.util.Arrays.equals(named, address)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The bytes of an IPv4 or IPv6 literal, or null for anything else (never a DNS lookup). */
  static byte[] ipLiteral(String host) {
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    boolean literal =
        bare.indexOf(':') >= 0
            || (!bare.isEmpty() && bare.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
    if (!literal) {
      return null;
    }
    try {
      // A literal (digits and dots, or a colon) is parsed, not resolved.
      return InetAddress.getByName(bare).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
