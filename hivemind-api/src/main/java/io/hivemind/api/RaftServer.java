package io.hivemind.api;

/**
 * One server of the control plane's Raft group, as {@code GET /v1/operator/raft/configuration}
 * lists it (Consul's shape: {@code ID}, {@code Node}, {@code Address}, {@code Leader}, {@code
 * Voter}, {@code ProtocolVersion}).
 *
 * @param id the Raft peer id (the node's name)
 * @param node the node's name
 * @param address host:port of its control (Raft) port
 * @param leader whether it is the leader as the answering agent knows
 * @param voter whether it votes (false: a learner catching up)
 * @param protocolVersion Consul's Raft protocol version field, always "3"
 */
public record RaftServer(
    String id,
    String node,
    String address,
    boolean leader,
    boolean voter,
    String protocolVersion) {}
