package io.hivemind.core.state;

/**
 * A message between two agents' {@link StateNode}s (forwarded requests and their results, backup
 * writes and acknowledgements, partition snapshots of a migration). SKELETON: the core piece makes
 * this sealed with its records; drivers only pass it to {@link WireStateCodec}.
 */
public interface StateMessage {}
