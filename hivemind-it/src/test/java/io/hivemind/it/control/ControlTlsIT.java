package io.hivemind.it.control;

import static io.hivemind.it.control.ControlGroupIT.kvSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hivemind.control.ControlTls;
import io.hivemind.control.RatisControlPlane;
import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on the Raft port: nodes with control certificates from the cluster CA form a group; a
 * node whose certificate another CA signed, or the cluster CA signed for a plain agent (no {@code
 * OU=control}), is refused by its peers, which count the refusals, and it never receives an entry.
 * The certificates are made with the openssl command (the cluster CA's own tooling lives in the
 * agent's tls package, tested on its own), so the mark is read from any CA's subject, not only
 * Hivemind's.
 */
class ControlTlsIT {

  @TempDir Path root;
  private ControlNodes nodes;

  @AfterEach
  void closeNodes() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void nodesWithTheClusterCa_formAGroup_andANodeFromAnotherCa_receivesNothing() throws Exception {
    assumeTrue(opensslAvailable(), "the openssl command is needed to make test certificates");
    Path certs = Files.createDirectories(root.resolve("certs"));
    ca(certs, "ca");
    ca(certs, "rogue-ca");
    nodeCert(certs, "n3", "rogue-ca", true);

    formAndCheckN3ReceivesNothing(certs, "rogue-ca.pem");
  }

  @Test
  void aPlainAgentsCertificateFromTheClusterCa_receivesNothing() throws Exception {
    assumeTrue(opensslAvailable(), "the openssl command is needed to make test certificates");
    Path certs = Files.createDirectories(root.resolve("certs"));
    ca(certs, "ca");
    // The right CA, but made for a plain agent: an agent's host must not be able to vote.
    nodeCert(certs, "n3", "ca", false);

    formAndCheckN3ReceivesNothing(certs, "ca.pem");
  }

  /** n1 and n2 hold control certificates of "ca"; n3 trusts {@code n3Ca} and holds n3.pem. */
  private void formAndCheckN3ReceivesNothing(Path certs, String n3Ca) throws Exception {
    for (String node : List.of("n1", "n2")) {
      nodeCert(certs, node, "ca", true);
    }
    nodes =
        ControlNodes.form(
            3,
            root.resolve("data"),
            c ->
                c.withTls(
                    new ControlTls(
                        certs.resolve(c.nodeId().equals("n3") ? n3Ca : "ca.pem"),
                        certs.resolve(c.nodeId() + ".pem"),
                        certs.resolve(c.nodeId() + ".key"))));
    RatisControlPlane n1 = nodes.node("n1");
    ApplyResult written = submitUntilCommitted(n1);

    assertThat(written).isInstanceOf(ApplyResult.Applied.class);
    assertThat(nodes.node("n2").awaitIndexAbove(written.index() - 1).get(10, TimeUnit.SECONDS).kv())
        .containsKey("secure");
    assertThat(nodes.node("n3").view().kv()).doesNotContainKey("secure");
    assertThat(nodes.node("n3").view().index()).isZero();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> n1.refusedTlsChains() + nodes.node("n2").refusedTlsChains() > 0);
  }

  /** Submits through n1 until the two trusted nodes have elected a leader and committed. */
  private static ApplyResult submitUntilCommitted(RatisControlPlane n1) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        n1.submit(new ControlCommand.Bootstrap("it", "testing")).get(5, TimeUnit.SECONDS);
        return n1.submit(kvSet("secure", "v")).get(5, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  private static boolean opensslAvailable() {
    try {
      return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static void ca(Path dir, String name) throws Exception {
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".pem",
        "-days",
        "1",
        "-subj",
        "/CN=" + name);
  }

  private static void nodeCert(Path dir, String node, String caName, boolean control)
      throws Exception {
    openssl(
        dir,
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        node + ".key",
        "-out",
        node + ".csr",
        "-subj",
        (control ? "/OU=control" : "") + "/CN=" + node);
    Files.writeString(
        dir.resolve(node + ".ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n" + "extendedKeyUsage=serverAuth,clientAuth\n");
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        node + ".csr",
        "-CA",
        caName + ".pem",
        "-CAkey",
        caName + ".key",
        "-CAcreateserial",
        "-out",
        node + ".pem",
        "-days",
        "1",
        "-extfile",
        node + ".ext");
  }

  private static void openssl(Path dir, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "openssl "
              + String.join(" ", args)
              + " failed: "
              + Files.readString(dir.resolve("openssl.log")));
    }
  }
}
