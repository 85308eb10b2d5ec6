package io.hivemind.api;

import java.util.List;

/**
 * The control plane's Raft group, {@code GET /v1/operator/raft/configuration}: {@code {"Servers":
 * [...], "Index": 42}}.
 *
 * @param servers the voters and learners
 * @param index the commit index the answering agent knows
 */
public record RaftConfiguration(List<RaftServer> servers, long index) {

  /**
   * Copies the servers; a missing list reads as empty.
   *
   * @param servers the voters and learners
   * @param index the commit index
   */
  public RaftConfiguration {
    servers = servers == null ? List.of() : List.copyOf(servers);
  }
}
