package io.hivemind.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hivemind.core.control.CommittedPartitionTable;
import io.hivemind.core.partition.PartitionMember;
import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON of {@code GET /v1/partitions}: the committed table's version, commit index and counts,
 * each member's owned and backup partitions, optionally one partition's replicas and move in
 * flight, the count of moves in flight and the members draining; the record {@code
 * io.hivemind.api.PartitionTableInfo} documents each field. Per-member counts rather than the
 * 16,384 rows keep the answer a few kilobytes.
 */
final class PartitionJson {

  private PartitionJson() {}

  /** The table; {@code partition} is -1 for none. */
  static byte[] table(CommittedPartitionTable committed, int partition) {
    PartitionTable table = committed.table();
    return ApiJson.write(
        json -> {
          json.writeStartObject();
          json.writeNumberField("Version", table.version());
          json.writeNumberField("Index", committed.index());
          json.writeNumberField("PartitionCount", table.partitionCount());
          json.writeNumberField("Backups", table.backupCount());
          json.writeNumberField("UnderReplicated", underReplicated(table));
          json.writeFieldName("Members");
          members(json, table);
          if (partition >= 0) {
            json.writeObjectFieldStart("Partition");
            json.writeNumberField("Partition", partition);
            json.writeFieldName("Replicas");
            ApiJson.strings(json, table.replicas().get(partition));
            json.writeFieldName("Moves");
            moves(json, committed.movesOf(partition));
            json.writeEndObject();
          }
          json.writeNumberField("MovesInFlight", committed.inFlight().size());
          json.writeFieldName("Draining");
          ApiJson.strings(json, committed.draining());
          json.writeEndObject();
        });
  }

  private static void moves(JsonGenerator json, List<PartitionMove> moves) throws IOException {
    json.writeStartArray();
    for (PartitionMove move : moves) {
      json.writeStartObject();
      json.writeStringField("Source", move.source() == null ? "" : move.source());
      json.writeStringField("Destination", move.destination());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  private static int underReplicated(PartitionTable table) {
    int under = 0;
    for (List<String> replicas : table.replicas()) {
      under += replicas.size() < table.backupCount() + 1 ? 1 : 0;
    }
    return under;
  }

  private static void members(JsonGenerator json, PartitionTable table) throws IOException {
    Map<String, int[]> counts = new TreeMap<>();
    for (PartitionMember member : table.members()) {
      counts.put(member.id(), new int[2]);
    }
    for (List<String> replicas : table.replicas()) {
      for (int i = 0; i < replicas.size(); i++) {
        counts.get(replicas.get(i))[i == 0 ? 0 : 1]++;
      }
    }
    json.writeStartArray();
    for (PartitionMember member : table.members()) {
      int[] count = counts.get(member.id());
      json.writeStartObject();
      json.writeStringField("ID", member.id());
      json.writeStringField("Host", member.host());
      json.writeStringField("Zone", member.zone());
      json.writeNumberField("Owned", count[0]);
      json.writeNumberField("Backups", count[1]);
      json.writeEndObject();
    }
    json.writeEndArray();
  }
}
