package io.hivemind.cli;

import io.hivemind.server.tls.CertificateAuthority;
import io.hivemind.server.tls.CertificateFiles;
import io.hivemind.server.tls.CertificateNames;
import io.hivemind.server.tls.NodeCertificate;
import io.hivemind.server.tls.NodeCertificateRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hivemind tls cert create}: writes NODE.pem and NODE-key.pem signed by the cluster CA. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Create a node certificate signed by the cluster CA: NODE.pem and NODE-key.pem (PKCS#8,"
          + " mode 0600). The same certificate serves both ends of mutual TLS (serverAuth and"
          + " clientAuth).",
      "Its names must include every DNS name and IP address peers dial the node by. Without"
          + " --dns and --ip: the node name, localhost and 127.0.0.1; with either, exactly the"
          + " names given.",
      "Refuses to replace existing files unless --force."
    })
final class TlsCertCreateCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--ca-dir",
      paramLabel = "DIR",
      required = true,
      description = "The directory holding ca.pem and ca-key.pem.")
  private Path caDir;

  @Option(
      names = "--name",
      paramLabel = "NODE",
      required = true,
      description = "The node's name: the certificate's subject and the files' names.")
  private String name;

  @Option(
      names = "--dns",
      paramLabel = "NAME",
      split = ",",
      description = "A DNS name peers dial the node by (repeatable, or comma-separated).")
  private List<String> dns = new ArrayList<>();

  @Option(
      names = "--ip",
      paramLabel = "ADDR",
      split = ",",
      description = "An IP address peers dial the node by (repeatable, or comma-separated).")
  private List<String> ips = new ArrayList<>();

  @Option(
      names = "--days",
      paramLabel = "N",
      defaultValue = "365",
      description =
          "Days the certificate is valid, at most until the CA expires. Default: ${DEFAULT-VALUE}.")
  private int days;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = ".",
      description =
          "Where to write NODE.pem and NODE-key.pem (created if missing). Default: the"
              + " current directory.")
  private Path out;

  @Option(
      names = "--control",
      description =
          "For a node with the control role: the certificate carries OU=control, without which"
              + " control nodes refuse it on their Raft port and refuse to admit its node with that"
              + " role.")
  private boolean control;

  @Option(names = "--force", description = "Replace NODE.pem and NODE-key.pem if they exist.")
  private boolean force;

  @Override
  public Integer call() {
    return TlsFileAction.run(spec, this::create);
  }

  private int create(PrintWriter writer) throws IOException {
    NodeCertificateRequest request = request();
    CertificateAuthority ca = CertificateFiles.readCa(caDir);
    NodeCertificate node = ca.issue(request, Instant.now());
    List<Path> files = CertificateFiles.writeNode(node, name, out, force);
    X509Certificate cert = node.certificate();
    writer.println(
        "Wrote "
            + files.get(0)
            + ": certificate for "
            + (control ? "control node " : "")
            + name
            + " ("
            + describe(request)
            + "), valid until "
            + cert.getNotAfter().toInstant()
            + ".");
    writer.println("Wrote " + files.get(1) + ": its private key (mode 0600).");
    return 0;
  }

  private NodeCertificateRequest request() {
    NodeCertificateRequest request = namesRequest();
    return control ? request.forControl() : request;
  }

  private NodeCertificateRequest namesRequest() {
    CertificateNames.requireNodeName(name);
    if (dns.isEmpty() && ips.isEmpty()) {
      return NodeCertificateRequest.withDefaults(name, TlsFileAction.days(days));
    }
    List<InetAddress> addresses = new ArrayList<>();
    for (String ip : ips) {
      addresses.add(CertificateNames.parseIpAddress(ip));
    }
    return new NodeCertificateRequest(name, dns, addresses, TlsFileAction.days(days));
  }

  private static String describe(NodeCertificateRequest request) {
    List<String> names = new ArrayList<>();
    request.dnsNames().forEach(n -> names.add("DNS " + n));
    request.ipAddresses().forEach(ip -> names.add("IP " + ip.getHostAddress()));
    return String.join(", ", names);
  }
}
