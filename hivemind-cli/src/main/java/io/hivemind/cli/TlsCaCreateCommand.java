package io.hivemind.cli;

import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.tls.CertificateAuthority;
import io.hivemind.server.tls.CertificateFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hivemind tls ca create}: writes a new cluster CA, ca.pem and ca-key.pem. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Create the cluster CA: a self-signed EC P-256 certificate (ca.pem, for every node) and its"
          + " private key (ca-key.pem, mode 0600, for the operator only).",
      "Refuses to replace existing files unless --force."
    })
final class TlsCaCreateCommand implements Callable<Integer> {

  /** Consul's default for its CA (tls ca create -days): five years. */
  static final int DEFAULT_DAYS = 1825;

  @Spec private CommandSpec spec;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = ".",
      description =
          "Where to write ca.pem and ca-key.pem (created if missing). Default: ${DEFAULT-VALUE}.")
  private Path dir;

  @Option(
      names = "--cluster",
      paramLabel = "NAME",
      defaultValue = AgentConfig.DEFAULT_CLUSTER,
      description = "The cluster's name, written into the CA's subject. Default: ${DEFAULT-VALUE}.")
  private String cluster;

  @Option(
      names = "--days",
      paramLabel = "N",
      defaultValue = "" + DEFAULT_DAYS,
      description = "Days the CA is valid. Default: ${DEFAULT-VALUE}.")
  private int days;

  @Option(names = "--force", description = "Replace ca.pem and ca-key.pem if they exist.")
  private boolean force;

  @Override
  public Integer call() {
    return TlsFileAction.run(spec, this::create);
  }

  private int create(PrintWriter out) throws IOException {
    CertificateAuthority ca =
        CertificateAuthority.create(cluster, TlsFileAction.days(days), Instant.now());
    List<Path> files = CertificateFiles.writeCa(ca, dir, force);
    X509Certificate cert = ca.certificate();
    out.println(
        "Wrote "
            + files.get(0)
            + ": CA certificate "
            + cert.getSubjectX500Principal().getName()
            + ", valid until "
            + cert.getNotAfter().toInstant()
            + "; copy it to every node.");
    out.println(
        "Wrote "
            + files.get(1)
            + ": the CA's private key (mode 0600); keep it off the nodes, it signs certificates.");
    return 0;
  }
}
