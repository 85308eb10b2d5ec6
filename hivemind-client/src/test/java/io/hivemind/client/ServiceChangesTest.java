package io.hivemind.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.AgentService;
import io.hivemind.api.CatalogNode;
import io.hivemind.api.HealthCheck;
import io.hivemind.api.ServiceEntry;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceChangesTest {

  private static final URI AGENT = URI.create("http://127.0.0.1:7361");

  @Test
  void firstAnswer_listsEveryInstanceAsAdded() {
    ServiceEntry a = entry("n1", "web-1", 80, 7, List.of());

    ServiceChange change = ServiceChanges.between("web", List.of(), List.of(a), 3, AGENT);

    assertThat(change.added()).containsExactly(a);
    assertThat(change.changed()).isEmpty();
    assertThat(change.removed()).isEmpty();
    assertThat(change.instances()).containsExactly(a);
  }

  @Test
  void indexesAlone_changeNothing_soAFailoverIsSilent() {
    ServiceEntry before = entry("n1", "web-1", 80, 7, List.of());
    ServiceEntry onTheOtherAgent = entry("n1", "web-1", 80, 912, List.of());

    ServiceChange change =
        ServiceChanges.between("web", List.of(before), List.of(onTheOtherAgent), 912, AGENT);

    assertThat(change.isEmpty()).isTrue();
  }

  @Test
  void portOrHealth_isAChange_andAMissingInstanceIsRemoved() {
    ServiceEntry web1 = entry("n1", "web-1", 80, 7, List.of());
    ServiceEntry web2 = entry("n1", "web-2", 80, 7, List.of());
    ServiceEntry web1Moved = entry("n1", "web-1", 81, 8, List.of());
    ServiceEntry web2Critical = entry("n1", "web-2", 80, 8, List.of(check("critical")));
    ServiceEntry web3 = entry("n2", "web-3", 80, 9, List.of());

    ServiceChange moved =
        ServiceChanges.between("web", List.of(web1, web2), List.of(web1Moved, web3), 9, AGENT);
    ServiceChange sick =
        ServiceChanges.between("web", List.of(web2), List.of(web2Critical), 10, AGENT);

    assertThat(moved.changed()).containsExactly(web1Moved);
    assertThat(moved.added()).containsExactly(web3);
    assertThat(moved.removed()).containsExactly(web2);
    assertThat(sick.changed()).containsExactly(web2Critical);
  }

  @Test
  void theSameIdOnAnotherNode_isAnotherInstance() {
    ServiceEntry onA = entry("a", "web-1", 80, 7, List.of());
    ServiceEntry onB = entry("b", "web-1", 80, 7, List.of());

    ServiceChange change = ServiceChanges.between("web", List.of(onA), List.of(onB), 8, AGENT);

    assertThat(change.added()).containsExactly(onB);
    assertThat(change.removed()).containsExactly(onA);
  }

  private static ServiceEntry entry(
      String node, String id, int port, long modifyIndex, List<HealthCheck> checks) {
    CatalogNode owner =
        new CatalogNode(node + "-id", node, "10.0.0.1", "dc", Map.of(), Map.of(), 1, 1);
    AgentService service =
        new AgentService(
            id, "web", List.of(), Map.of(), port, "", null, false, "dc", 1, modifyIndex);
    return new ServiceEntry(owner, service, checks);
  }

  private static HealthCheck check(String status) {
    return new HealthCheck(
        "n1", "service:web-2", "web", status, "", "", "web-2", "web", List.of(), "ttl", 1, 1);
  }
}
