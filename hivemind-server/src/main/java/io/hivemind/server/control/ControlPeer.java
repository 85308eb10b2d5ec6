package io.hivemind.server.control;

/**
 * One voter (or learner) of the Raft group, as {@code /v1/operator/raft/configuration} lists it.
 *
 * @param id the Raft peer id (the node's name)
 * @param address host:port of its control (Raft) port
 * @param voter whether it votes (false: a learner catching up)
 * @param leader whether it is the current leader
 */
public record ControlPeer(String id, String address, boolean voter, boolean leader) {}
