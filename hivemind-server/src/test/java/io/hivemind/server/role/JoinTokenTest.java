package io.hivemind.server.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.membership.Address;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JoinTokenTest {

  private static final String SECRET = "s3cret-token-0123456789";

  @Test
  void toString_neverShowsTheToken() {
    JoinToken token = JoinToken.of(SECRET);

    assertThat(token.toString()).doesNotContain(SECRET).isEqualTo("JoinToken[redacted]");
    ControlConfig control =
        new ControlConfig(
            3, new Address("0.0.0.0", 7363), new Address("0.0.0.0", 7365), token, Set.of(), null);
    assertThat(control.toString()).doesNotContain(SECRET).contains("JoinToken[redacted]");
  }

  @Test
  void matches_onlyTheSameToken() {
    JoinToken token = JoinToken.of(SECRET);

    assertThat(token.matches(SECRET)).isTrue();
    assertThat(token.matches(SECRET + "x")).isFalse();
    assertThat(token.matches(null)).isFalse();
    assertThat(token.reveal()).isEqualTo(SECRET);
    assertThat(token).isEqualTo(JoinToken.of(SECRET)).isNotEqualTo(JoinToken.of(SECRET + "x"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "short-token-1 | it is 13 characters",
        "'with a space in the middle' | the character at position 5 is not printable ASCII"
            + " (a space, a control character or beyond ASCII)",
        "'' | it is empty",
      })
  void of_badToken_refusedWithoutQuotingIt(String value, String why) {
    assertThatThrownBy(() -> JoinToken.of(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(why);
  }

  @Test
  void of_longestAccepted_oneMoreRefused() {
    assertThat(JoinToken.of("t".repeat(JoinToken.MAX_CHARS)).reveal()).hasSize(512);
    assertThatThrownBy(() -> JoinToken.of("t".repeat(JoinToken.MAX_CHARS + 1)))
        .hasMessage("it is 513 characters");
  }
}
