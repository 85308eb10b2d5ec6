package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeygenCommandTest {

  private String keygen() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        HivemindCommand.execute(
            new String[] {"keygen"}, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    return out.toString().trim();
  }

  @Test
  void keygen_base64Of32Bytes() {
    assertThat(Base64.getDecoder().decode(keygen())).hasSize(32);
  }

  @Test
  void keygen_newKeyEachTime() {
    assertThat(keygen()).isNotEqualTo(keygen());
  }
}
