package io.hivemind.server.http;

import io.hivemind.core.control.CommittedPartitionTable;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.membership.Member;
import io.hivemind.core.partition.PartitionMember;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.server.state.StateTags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/partitions/owners} (issue 13): what a client needs to send each key to its owner's
 * HTTP API: the table's version, its members with their HTTP addresses (their {@code http.address}
 * gossip tags) and binary state client addresses (their {@code state.client} tags, "" when not
 * announced) and, per partition, the index of its owner in that list (-1 for none). Read from this
 * agent's replica of the control log like {@code /v1/partitions}. Runs on the HTTP event loop.
 */
final class PartitionOwners {

  private final AgentOperations agent;

  PartitionOwners(AgentOperations agent) {
    this.agent = agent;
  }

  /** {@code GET /v1/partitions/owners}. */
  void owners(ApiRequest request) {
    ControlReads.read(request, agent.control(), this::reply);
  }

  private ControlReply reply(ControlView view) {
    if (view.partitionTable().isEmpty()) {
      return ControlReply.json(
          404,
          ApiJson.error(
              "no_partition_table",
              "no partition table is committed yet: the leader commits one once members are"
                  + " admitted"));
    }
    return ControlReply.json(200, json(view.partitionTable().get(), view, agent.members()));
  }

  static byte[] json(CommittedPartitionTable committed, ControlView view, List<Member> gossip) {
    PartitionTable table = committed.table();
    Map<String, String> names = new HashMap<>();
    for (ControlMember member : view.members()) {
      names.put(member.id(), member.name());
    }
    Map<String, String> http = new HashMap<>();
    Map<String, String> stateClient = new HashMap<>();
    for (Member member : gossip) {
      String address = member.tags().get(StateTags.HTTP_ADDRESS);
      if (address != null) {
        http.put(member.name(), address);
      }
      String client = member.tags().get(StateTags.STATE_CLIENT_ADDRESS);
      if (client != null) {
        stateClient.put(member.name(), client);
      }
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < table.members().size(); i++) {
      index.put(table.members().get(i).id(), i);
    }
    return ApiJson.write(
        json -> {
          json.writeStartObject();
          json.writeNumberField("version", table.version());
          json.writeNumberField("partitionCount", table.partitionCount());
          json.writeArrayFieldStart("members");
          for (PartitionMember member : table.members()) {
            String name = names.getOrDefault(member.id(), "");
            json.writeStartObject();
            json.writeStringField("id", member.id());
            json.writeStringField("name", name);
            json.writeStringField("http", http.getOrDefault(name, ""));
            json.writeStringField("stateClient", stateClient.getOrDefault(name, ""));
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeArrayFieldStart("owners");
          for (int p = 0; p < table.partitionCount(); p++) {
            json.writeNumber(table.owner(p).map(id -> index.getOrDefault(id, -1)).orElse(-1));
          }
          json.writeEndArray();
          json.writeEndObject();
        });
  }
}
