package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.AgentService;
import io.hivemind.api.CatalogNode;
import io.hivemind.api.HealthCheck;
import io.hivemind.api.ServiceEntry;
import io.hivemind.api.ServiceWeights;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogTextTest {

  private static final CatalogNode NODE_1 =
      new CatalogNode("n1", "node-1", "10.0.0.1", "main", Map.of(), Map.of(), 1, 1);

  private static ServiceEntry entry(String id, String address, long modify, String... statuses) {
    List<HealthCheck> checks =
        Arrays.stream(statuses)
            .map(
                s ->
                    new HealthCheck(
                        "node-1", id + "-c", "c", s, "", "", id, "web", List.of(), "ttl", 1,
                        modify))
            .toList();
    return new ServiceEntry(
        NODE_1,
        new AgentService(
            id,
            "web",
            List.of("v1"),
            Map.of(),
            80,
            address,
            new ServiceWeights(1, 1),
            false,
            "main",
            1,
            modify),
        checks);
  }

  @Test
  void services_oneRowAService() {
    Map<String, List<String>> services = new LinkedHashMap<>();
    services.put("db", List.of());
    services.put("web", List.of("a", "b"));

    assertThat(CatalogText.services(services).lines().map(String::stripTrailing))
        .containsExactly("Service  Tags", "db", "web      a,b");
  }

  @Test
  void instances_addressFallsBackToTheNodes_healthIsTheWorstCheck() {
    String text =
        CatalogText.instances(
            List.of(entry("web-1", "", 2, "passing", "warning"), entry("web-2", "10.9.9.9", 2)));

    assertThat(text.lines())
        .containsExactly(
            "ID     Address   Port  Node    Health   Tags",
            "web-1  10.0.0.1  80    node-1  warning  v1",
            "web-2  10.9.9.9  80    node-1  passing  v1");
  }

  @Test
  void changes_newChangedGone() {
    List<ServiceEntry> before = List.of(entry("a", "", 2), entry("b", "", 2), entry("c", "", 2));
    List<ServiceEntry> after =
        List.of(entry("a", "", 2), entry("b", "", 5, "critical"), entry("d", "", 6));

    assertThat(CatalogText.changes(before, after))
        .containsExactly(
            "~ b 10.0.0.1:80 critical on node-1 [v1]",
            "+ d 10.0.0.1:80 passing on node-1 [v1]",
            "- c on node-1");
    assertThat(CatalogText.changes(after, after)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "service register web --ttl 5s --http http://x|give one check: --ttl, --http or --tcp",
        "service register|Missing required parameter: 'NAME'",
        "service deregister|Missing required parameter: 'ID'",
        "service register web --port x|Invalid value for option '--port'",
        "lookup|Missing required parameter: 'NAME'",
        "watch|Missing required parameter: 'NAME'",
        "services extra|Unmatched argument"
      })
  void usageMistake_exit2WithTheSentence(String args, String sentence) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code =
        HivemindCommand.execute(
            args.split(" "), new PrintWriter(out, true), new PrintWriter(err, true));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("hivemind: ").contains(sentence);
    assertThat(out.toString()).isEmpty();
  }
}
