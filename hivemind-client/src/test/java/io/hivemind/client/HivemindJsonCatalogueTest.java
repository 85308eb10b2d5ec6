package io.hivemind.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.api.AgentService;
import io.hivemind.api.CatalogService;
import io.hivemind.api.CheckRequest;
import io.hivemind.api.ServiceEntry;
import io.hivemind.api.ServiceRegistrationRequest;
import io.hivemind.api.ServiceWeights;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalogue's records in Consul's JSON: the names the agent writes and reads. */
class HivemindJsonCatalogueTest {

  private final ObjectMapper json = HivemindJson.newMapper();

  @Test
  void registration_writtenWithConsulsNames() throws IOException {
    CheckRequest check =
        new CheckRequest(
            "hb", null, "10s", null, null, null, null, null, null, true, "1m", "passing");
    ServiceRegistrationRequest registration =
        new ServiceRegistrationRequest(
            "web-1", "web", List.of("v1"), "", 80, Map.of(), new ServiceWeights(2, 1), check, null);

    JsonNode written = json.readTree(json.writeValueAsBytes(registration));

    assertThat(written.get("ID").asText()).isEqualTo("web-1");
    assertThat(written.get("Name").asText()).isEqualTo("web");
    assertThat(written.get("Weights").get("Passing").asInt()).isEqualTo(2);
    JsonNode writtenCheck = written.get("Check");
    assertThat(writtenCheck.get("CheckID").asText()).isEqualTo("hb");
    assertThat(writtenCheck.get("TTL").asText()).isEqualTo("10s");
    assertThat(writtenCheck.get("TLSSkipVerify").asBoolean()).isTrue();
    assertThat(writtenCheck.get("DeregisterCriticalServiceAfter").asText()).isEqualTo("1m");
    assertThat(writtenCheck.has("HTTP")).isTrue();
  }

  @Test
  void healthServiceAnswer_readAsServiceEntries() throws IOException {
    String answer =
        "[{\"Node\":{\"ID\":\"n1\",\"Node\":\"node-1\",\"Address\":\"10.0.0.1\",\"Datacenter\":\"main\","
            + "\"TaggedAddresses\":{\"lan\":\"10.0.0.1\"},\"Meta\":{},\"CreateIndex\":3,\"ModifyIndex\":3},"
            + "\"Service\":{\"ID\":\"web-1\",\"Service\":\"web\",\"Tags\":[\"v1\"],\"Meta\":{},\"Port\":80,"
            + "\"Address\":\"\",\"Weights\":{\"Passing\":1,\"Warning\":1},\"EnableTagOverride\":false,"
            + "\"Datacenter\":\"main\",\"CreateIndex\":5,\"ModifyIndex\":6},"
            + "\"Checks\":[{\"Node\":\"node-1\",\"CheckID\":\"hb\",\"Name\":\"h\",\"Status\":\"warning\","
            + "\"Notes\":\"\",\"Output\":\"slow\",\"ServiceID\":\"web-1\",\"ServiceName\":\"web\","
            + "\"ServiceTags\":[\"v1\"],\"Type\":\"ttl\",\"CreateIndex\":5,\"ModifyIndex\":6}]}]";

    List<ServiceEntry> entries = json.readValue(answer, new TypeReference<>() {});

    ServiceEntry entry = entries.get(0);
    assertThat(entry.node().node()).isEqualTo("node-1");
    assertThat(entry.service().id()).isEqualTo("web-1");
    assertThat(entry.service().modifyIndex()).isEqualTo(6);
    assertThat(entry.checks().get(0).checkId()).isEqualTo("hb");
    assertThat(entry.checks().get(0).serviceId()).isEqualTo("web-1");
    assertThat(entry.aggregatedStatus()).isEqualTo("warning");
    assertThat(entry.effectiveAddress()).isEqualTo("10.0.0.1");
  }

  @Test
  void catalogServiceAndAgentService_read() throws IOException {
    CatalogService service =
        json.readValue(
            "{\"ID\":\"n\",\"Node\":\"node-1\",\"Address\":\"10.0.0.1\",\"ServiceID\":\"w\","
                + "\"ServiceName\":\"web\",\"ServiceAddress\":\"10.1.1.1\",\"ServicePort\":80,"
                + "\"ServiceWeights\":{\"Passing\":3,\"Warning\":0}}",
            CatalogService.class);
    AgentService own =
        json.readValue("{\"ID\":\"w\",\"Service\":\"web\",\"Port\":80}", AgentService.class);

    assertThat(service.serviceId()).isEqualTo("w");
    assertThat(service.effectiveAddress()).isEqualTo("10.1.1.1");
    assertThat(service.serviceWeights().passing()).isEqualTo(3);
    assertThat(own.tags()).isEmpty();
  }
}
