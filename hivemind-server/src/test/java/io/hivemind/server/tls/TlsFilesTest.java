package io.hivemind.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsFilesTest {

  @TempDir Path dir;

  @Test
  void inDirectory_theLayoutTheCliWrites() throws Exception {
    for (String name : new String[] {"ca.pem", "n1.pem", "n1-key.pem"}) {
      Files.writeString(dir.resolve(name), "x");
    }

    TlsFiles files = TlsFiles.inDirectory(dir, "n1");

    assertThat(files)
        .isEqualTo(
            new TlsFiles(dir.resolve("ca.pem"), dir.resolve("n1.pem"), dir.resolve("n1-key.pem")));
  }

  @Test
  void of_missingKey_namesIt() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    Path cert = Files.writeString(dir.resolve("n.pem"), "x");
    Path key = dir.resolve("n-key.pem");

    assertThatThrownBy(() -> TlsFiles.of(ca, cert, key))
        .isInstanceOf(TlsException.class)
        .hasMessage("The TLS private key file " + key + " does not exist.");
  }

  @Test
  void of_directoryForCa_refused() throws Exception {
    Path cert = Files.writeString(dir.resolve("n.pem"), "x");

    assertThatThrownBy(() -> TlsFiles.of(dir, cert, cert))
        .isInstanceOf(TlsException.class)
        .hasMessage("The TLS CA certificate file " + dir + " is not a regular file.");
  }

  @Test
  void constructor_null_refused() {
    assertThatThrownBy(() -> new TlsFiles(dir, null, dir))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("cert");
  }
}
