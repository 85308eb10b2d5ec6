package io.hivemind.server.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The checks on what goes into a certificate's names: node and cluster names (which also become
 * file names), DNS subject alternative names and IP addresses. Every check throws a {@link
 * TlsException} carrying the offending value.
 */
public final class CertificateNames {

  /** As for member names (docs/security.md, "Bounds"): ASCII letters, digits, '.', '_', '-'. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** One DNS label (RFC 1123 2.1): letters, digits and inner hyphens, at most 63 characters. */
  private static final Pattern DNS_LABEL =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

  /** Longest host name in text form (RFC 1035 2.3.4 minus the trailing dot). */
  private static final int MAX_DNS_NAME_CHARS = 253;

  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  /** Hex digits, colons and an embedded IPv4 tail; zone ids ({@code %eth0}) are not addresses. */
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  /** The stem of the CA's files (TlsFiles.CA_CERT_FILE, CA_KEY_FILE). */
  private static final String RESERVED_NODE_NAME = "ca";

  private CertificateNames() {}

  /**
   * A node name: the certificate's subject and the stem of its file names. "ca" is refused: its
   * files would be the CA's own ca.pem and ca-key.pem, and {@code --force} would destroy the CA.
   */
  public static String requireNodeName(String name) {
    requireName(name, "node name");
    if (name.equals(RESERVED_NODE_NAME)) {
      throw new TlsException(
          "A node's TLS files cannot be named '"
              + name
              + "': they would be the CA's ca.pem and ca-key.pem.");
    }
    return name;
  }

  /** A cluster name: it goes into the CA's subject. */
  public static String requireClusterName(String name) {
    return requireName(name, "cluster name");
  }

  /** Whether {@code name} is a host name a certificate can carry as a DNS name. */
  public static boolean isDnsName(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_DNS_NAME_CHARS) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (!DNS_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** A DNS subject alternative name. */
  public static String requireDnsName(String name) {
    if (!isDnsName(name)) {
      throw new TlsException(
          "'"
              + name
              + "' is not a DNS name: use dot-separated labels of letters, digits and inner"
              + " hyphens (RFC 1123).");
    }
    return name;
  }

  /**
   * An IP address literal, parsed without any name lookup: a certificate names addresses, and a
   * host name given here is a mistake to report, not to resolve.
   */
  public static InetAddress parseIpAddress(String text) {
    boolean literal =
        text != null
            && (IPV4.matcher(text).matches()
                || (text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches()));
    if (literal) {
      try {
        // Only literals reach here, and a text with a ':' is parsed as IPv6 or refused: no lookup.
        return InetAddress.getByName(text);
      } catch (UnknownHostException e) {
        // Falls through to the sentence below.
      }
    }
    throw new TlsException(
        "'" + text + "' is not an IP address: use an IPv4 (127.0.0.1) or IPv6 (::1) literal.");
  }

  private static String requireName(String name, String what) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new TlsException(
          "'"
              + name
              + "' is not a valid "
              + what
              + ": use 1-128 ASCII letters, digits, '.', '_' or '-', starting with a letter or"
              + " digit.");
    }
    return name;
  }
}
