package io.hivemind.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registration load's requests: Hivemind's agent register, etcd's lease grant and put. */
class RegistrationTargetsTest {

  private static final URI ENDPOINT = URI.create("http://127.0.0.1:8500");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final byte[] PAYLOAD = "abc".getBytes(StandardCharsets.US_ASCII);

  /** Per test: a registration's documents count its writes. */
  private final Registration registration = new Registration(PAYLOAD, false, 1);

  @Test
  void json_isAConsulRegistration_neverTheSameBytesTwice() {
    Registration registration = new Registration(PAYLOAD, false, 1);

    String first = registration.json(42);
    assertThat(first)
        .isEqualTo(
            "{\"ID\":\"bench-42\",\"Name\":\"bench\",\"Address\":\"127.0.0.1\",\"Port\":8042,"
                + "\"Meta\":{\"payload\":\"abc\",\"write\":\"1\"}}");
    assertThat(registration.json(42)).isNotEqualTo(first).contains("\"write\":\"2\"");
  }

  @Test
  void manyServices_instancesSpreadByNumber() {
    Registration registration = new Registration(PAYLOAD, false, 100);

    assertThat(registration.json(1042)).contains("\"ID\":\"bench-1042\",\"Name\":\"bench-s42\"");
    assertThat(registration.etcdKey(1042)).isEqualTo("services/bench-s42/bench-1042");
  }

  @Test
  void json_withTtlCheck_carriesIt() {
    assertThat(new Registration(PAYLOAD, true, 1).json(1))
        .endsWith(",\"Check\":{\"TTL\":\"300s\"}}");
  }

  @Test
  void payloadThatNeedsEscaping_isRefused() {
    assertThatThrownBy(() -> new Registration("a\"b".getBytes(StandardCharsets.US_ASCII), false, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("byte 1");
  }

  @Test
  void hivemind_request_putsTheAgentRegister_refusesAnythingButA200() {
    HivemindRegistrationTarget target = new HivemindRegistrationTarget(registration);
    KvRequest request = target.request(7, PAYLOAD);

    assertThat(request.method()).isEqualTo("PUT");
    assertThat(request.path()).isEqualTo("/v1/agent/service/register");
    assertThat(request.contentType()).isEqualTo("application/json");
    assertThat(new String(request.body(), StandardCharsets.UTF_8))
        .startsWith("{\"ID\":\"bench-7\"");
    assertThat(target.refusal(200, "")).isNull();
    assertThat(target.refusal(400, "{\"code\":\"bad_request\"}"))
        .isEqualTo("HTTP 400 '{\"code\":\"bad_request\"}'");
  }

  @Test
  void etcd_leaseId_readFromTheGrantsAnswer() {
    String granted =
        "{\"header\":{\"cluster_id\":\"14841639068965178418\",\"revision\":\"5\"},"
            + "\"ID\":\"7587862072907296004\",\"TTL\":\"300\"}";

    assertThat(EtcdLeaseRegistrationWriter.leaseId(200, granted)).isEqualTo("7587862072907296004");
    assertThat(EtcdLeaseRegistrationWriter.leaseId(200, "{\"header\":{}}")).isNull();
    assertThat(EtcdLeaseRegistrationWriter.leaseId(503, granted)).isNull();
    KvRequest grant = EtcdLeaseRegistrationWriter.grantRequest();
    assertThat(grant.method()).isEqualTo("POST");
    assertThat(grant.path()).isEqualTo("/v3/lease/grant");
    assertThat(new String(grant.body(), StandardCharsets.UTF_8)).isEqualTo("{\"TTL\":300}");
  }

  @Test
  void etcd_put_bindsTheInstancesKeyToTheLease() {
    EtcdLeaseRegistrationWriter writer =
        new EtcdLeaseRegistrationWriter(
            new WorkerConnections(List.of(ENDPOINT), TIMEOUT, 1), registration);

    String body = writer.putBody(42, "99");
    KvRequest put = writer.putRequest(42, "99");

    Base64.Encoder base64 = Base64.getEncoder();
    assertThat(body)
        .startsWith(
            "{\"key\":\""
                + base64.encodeToString("services/bench/bench-42".getBytes(StandardCharsets.UTF_8)))
        .endsWith("\",\"lease\":\"99\"}");
    assertThat(put.method()).isEqualTo("POST");
    assertThat(put.path()).isEqualTo("/v3/kv/put");
    // The same key and lease (the document's write counter moves on with every call).
    assertThat(new String(put.body(), StandardCharsets.UTF_8))
        .startsWith(body.substring(0, body.indexOf(",\"value\"")))
        .endsWith("\",\"lease\":\"99\"}");
    assertThat(EtcdLeaseRegistrationWriter.putRefusal(200, "{\"header\":{}}")).isNull();
    assertThat(EtcdLeaseRegistrationWriter.putRefusal(200, "{}"))
        .isEqualTo("put: 200 without a header");
  }
}
