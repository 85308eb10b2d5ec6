package io.hivemind.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.catalog.CheckKind;
import io.hivemind.core.catalog.ServiceRegistration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The registration decoder: defaults, leniency, and a fuzz loop over mutated real bodies. */
class RegistrationJsonTest {

  /** Bytes that keep a mutation close to JSON, so it reaches past the parser. */
  private static final String JSON_BYTES = "{}[]\",:0-.eE\\ntf ";

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] springBody() throws IOException {
    try (InputStream in =
        RegistrationJsonTest.class.getResourceAsStream("catalog/spring-registration.json")) {
      return in.readAllBytes();
    }
  }

  @Test
  void minimal_consulDefaults() {
    ServiceRegistration registration = RegistrationJson.read(bytes("{\"Name\":\"web\"}"));

    assertThat(registration.id()).isEqualTo("web");
    assertThat(registration.address()).isEmpty();
    assertThat(registration.port()).isZero();
    assertThat(registration.weights().passing()).isEqualTo(1);
    assertThat(registration.checks()).isEmpty();
  }

  @Test
  void httpCheck_headersMethodIntervalFloorAndTimeoutDefault() {
    ServiceRegistration registration =
        RegistrationJson.read(
            bytes(
                "{\"Name\":\"web\",\"Check\":{\"HTTP\":\"https://127.0.0.1/h\",\"Interval\":\"100ms\","
                    + "\"Method\":\"HEAD\",\"Header\":{\"X-A\":[\"1\",\"2\"],\"X-B\":\"3\"},"
                    + "\"TLSSkipVerify\":true}}"));

    var check = registration.checks().get(0);
    assertThat(check.kind()).isEqualTo(CheckKind.HTTP);
    assertThat(check.checkId()).isEqualTo("service:web");
    assertThat(check.interval()).isEqualTo(RegistrationJson.MIN_INTERVAL);
    assertThat(check.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(check.method()).isEqualTo("HEAD");
    assertThat(check.headers()).isEqualTo(Map.of("X-A", List.of("1", "2"), "X-B", List.of("3")));
    assertThat(check.tlsSkipVerify()).isTrue();
  }

  @Test
  void sameFieldTwiceInAnyCase_refused() {
    assertThatThrownBy(() -> RegistrationJson.read(bytes("{\"Name\":\"a\",\"name\":\"b\"}")))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("\"Name\" and \"name\"");
    assertThatThrownBy(() -> RegistrationJson.read(bytes("{\"Name\":\"a\",\"Name\":\"b\"}")))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("twice");
  }

  @Test
  void checkOfAnotherService_refused() {
    assertThatThrownBy(
            () ->
                RegistrationJson.read(
                    bytes("{\"Name\":\"web\",\"Check\":{\"TTL\":\"5s\",\"ServiceID\":\"db\"}}")))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("db");
  }

  @Test
  void deepNesting_refusedBeforeItCosts() {
    String deep = "[".repeat(100) + "]".repeat(100);

    assertThatThrownBy(
            () -> RegistrationJson.read(bytes("{\"Name\":\"web\",\"Meta\":" + deep + "}")))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("nests deeper");
  }

  /**
   * Mutated real bodies (bytes flipped, dropped, duplicated, cut) are decoded or refused with an
   * {@link ApiException}: nothing else escapes, so no input reaches the agent as a fault.
   */
  @Test
  void fuzz_mutatedSpringBodies_decodedOrRefusedNeverAFault() throws IOException {
    byte[] seed = springBody();
    long seedValue = 20261201L;
    Random random = new Random(seedValue);
    int decoded = 0;
    for (int round = 0; round < 20_000; round++) {
      byte[] mutated = mutate(seed, random);
      try {
        RegistrationJson.read(mutated);
        decoded++;
      } catch (ApiException refused) {
        assertThat(refused.status()).as("seed %d round %d", seedValue, round).isEqualTo(400);
        assertThat(refused.getMessage()).isNotBlank();
      }
    }
    assertThat(decoded).as("some mutations keep a valid registration").isPositive();
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] bytes = seed.clone();
    int at = random.nextInt(bytes.length);
    switch (random.nextInt(4)) {
      case 0 -> bytes[at] = (byte) random.nextInt(256);
      case 1 -> bytes[at] = (byte) JSON_BYTES.charAt(random.nextInt(JSON_BYTES.length()));
      case 2 -> {
        return Arrays.copyOf(bytes, at);
      }
      default -> {
        byte[] longer = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, longer, 0, at + 1);
        System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
        return longer;
      }
    }
    return bytes;
  }
}
