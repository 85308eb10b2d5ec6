package io.hivemind.server.control;

/**
 * What a control node's gateway serves to plain agents: the node's {@link ControlPlane} (for
 * submits and linearizable reads) and a feed of the committed log. Implemented by the Ratis module
 * on control nodes (usually with a {@link FeedHub}); tests use a single-node state applied
 * directly.
 *
 * <p>Thread-safe.
 */
public interface CommittedLog {

  /** The node's control plane: submits and linearizable reads go through it. */
  ControlPlane plane();

  /**
   * Subscribes {@code sink} to every committed entry above {@code afterIndex}: first a snapshot
   * when the entries just above {@code afterIndex} are no longer retained (or {@code afterIndex} is
   * 0 and the log has been compacted), then each entry in index order, the retained ones at once
   * and new ones as they are applied. A subscriber ahead of the log gets nothing until the log
   * passes it.
   */
  Subscription follow(long afterIndex, FeedSink sink);
}
