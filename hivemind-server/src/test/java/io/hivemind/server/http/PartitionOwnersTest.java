package io.hivemind.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import io.hivemind.core.acl.AclTokens;
import io.hivemind.core.control.CommittedPartitionTable;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.ExternalCatalog;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.core.partition.PartitionMember;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.server.state.StateTags;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@code /v1/partitions/owners}'s JSON: members with their HTTP addresses, owners by index. */
class PartitionOwnersTest {

  @Test
  void json_membersInTableOrderWithNamesHttpAndStateClient_ownersAsIndexes() {
    PartitionTable table =
        new PartitionTable(
            4,
            3,
            1,
            List.of(PartitionMember.onHost("id-a", "h1"), PartitionMember.onHost("id-b", "h2")),
            List.of(List.of("id-b", "id-a"), List.of("id-a", "id-b"), List.of()));
    ControlView view =
        new ControlView(
            9,
            1,
            "c",
            "testing",
            List.of(member("id-a", "node-a"), member("id-b", "node-b")),
            new TreeMap<>(),
            List.of(),
            1,
            ExternalCatalog.EMPTY,
            AclTokens.EMPTY,
            Optional.empty());
    List<Member> gossip =
        List.of(
            gossip(
                "node-a",
                Map.of(
                    StateTags.HTTP_ADDRESS,
                    "10.0.0.1:7361",
                    StateTags.STATE_CLIENT_ADDRESS,
                    "10.0.0.1:7367")),
            gossip("node-b", Map.of()));

    String json =
        new String(
            PartitionOwners.json(new CommittedPartitionTable(table, 9), view, gossip),
            StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"version\":4,\"partitionCount\":3,\"members\":["
                + "{\"id\":\"id-a\",\"name\":\"node-a\",\"http\":\"10.0.0.1:7361\","
                + "\"stateClient\":\"10.0.0.1:7367\"},"
                + "{\"id\":\"id-b\",\"name\":\"node-b\",\"http\":\"\",\"stateClient\":\"\"}],"
                + "\"owners\":[1,0,-1]}");
  }

  private static ControlMember member(String id, String name) {
    return new ControlMember(id, name, new Address("10.0.0.1", 7360), List.of(), "", "", 1, 1);
  }

  private static Member gossip(String name, Map<String, String> tags) {
    return new Member(
        name,
        new Address("10.0.0.1", 7360),
        1,
        MemberState.ALIVE,
        Set.of(),
        tags,
        "",
        Environment.TESTING,
        "main");
  }
}
