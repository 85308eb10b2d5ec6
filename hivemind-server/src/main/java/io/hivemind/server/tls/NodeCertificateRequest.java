package io.hivemind.server.tls;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a node certificate says: the node's name (its subject CN), the DNS names and IP addresses
 * its peers dial it by (subject alternative names: gRPC checks them against the address it
 * dialled), how long it is valid, and whether it may serve the control plane ({@link
 * ControlCertificates}: a plain agent's certificate cannot, as Consul's client certificates cannot
 * pose as a server's).
 */
public record NodeCertificateRequest(
    String nodeName,
    List<String> dnsNames,
    List<InetAddress> ipAddresses,
    Duration validity,
    boolean control) {

  /** Consul's default for agent certificates: rotate once a year at least. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);

  /** Loopback, for a node that dials itself and for tests on one machine. */
  private static final String LOCALHOST = "localhost";

  /** IPv4 loopback, spelled out: the JDK's loopback address may be ::1. */
  private static final String LOOPBACK_IP = "127.0.0.1";

  public NodeCertificateRequest {
    CertificateNames.requireNodeName(nodeName);
    dnsNames = List.copyOf(dnsNames);
    dnsNames.forEach(CertificateNames::requireDnsName);
    ipAddresses = List.copyOf(ipAddresses);
    Objects.requireNonNull(validity, "validity");
    if (validity.isNegative() || validity.isZero()) {
      throw new TlsException("A certificate's validity must be positive, got " + validity + ".");
    }
    if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
      throw new TlsException(
          "A node certificate for " + nodeName + " needs at least one DNS name or IP address.");
    }
  }

  /** A plain agent's certificate: it may not serve the control plane. */
  public NodeCertificateRequest(
      String nodeName, List<String> dnsNames, List<InetAddress> ipAddresses, Duration validity) {
    this(nodeName, dnsNames, ipAddresses, validity, false);
  }

  /** This request for a node that may serve the control plane ({@code --control}). */
  public NodeCertificateRequest forControl() {
    return new NodeCertificateRequest(nodeName, dnsNames, ipAddresses, validity, true);
  }

  /**
   * The default names: the node name (when it is a valid DNS name), {@code localhost} and {@code
   * 127.0.0.1}.
   */
  public static NodeCertificateRequest withDefaults(String nodeName, Duration validity) {
    List<String> dns = new ArrayList<>();
    if (CertificateNames.isDnsName(nodeName) && !LOCALHOST.equalsIgnoreCase(nodeName)) {
      dns.add(nodeName);
    }
    dns.add(LOCALHOST);
    return new NodeCertificateRequest(
        nodeName, dns, List.of(CertificateNames.parseIpAddress(LOOPBACK_IP)), validity);
  }
}
