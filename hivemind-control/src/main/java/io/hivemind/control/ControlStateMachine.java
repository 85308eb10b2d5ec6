package io.hivemind.control;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlDecodeException;
import io.hivemind.core.control.ControlSnapshot;
import io.hivemind.core.control.ControlState;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.RefusalCode;
import io.hivemind.core.control.RemovalPolicy;
import io.hivemind.core.control.WireControlCodec;
import io.hivemind.server.control.FeedHub;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of a control node: a thin adapter around the pure {@link ControlState}.
 * Committed entries go to {@link ControlState#apply(long, byte[])} as they are (the state decodes
 * them once); the result goes back to the proposer encoded; each new view is published to readers.
 *
 * <p>Owned by Ratis's state-machine updater thread, which applies entries and takes snapshots in
 * turn; {@code initialize} and {@code reinitialize} (a snapshot installed from the leader) run
 * while that thread applies nothing. The methods touching {@link #state} are synchronized all the
 * same, so a snapshot never sees a half-applied entry whatever thread Ratis uses.
 *
 * <p>A read-only query answers the index of the last applied entry (8 bytes, big-endian): with
 * Ratis's LINEARIZABLE read option the leader answers it only after confirming its leadership, so a
 * node that waits until it applied that index reads linearizably.
 */
final class ControlStateMachine extends BaseStateMachine {

  private static final Logger LOG = LoggerFactory.getLogger(ControlStateMachine.class);

  /** Ratis's "no index" ({@code RaftLog.INVALID_LOG_INDEX}): nothing applied, no snapshot taken. */
  private static final long NO_INDEX = -1;

  /** What the feed carries for a log index without a command; followers skip it. */
  private static final byte[] NO_COMMAND = new byte[0];

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final RemovalPolicy policy;
  private final ViewPublisher publisher;
  private final FeedHub feed = new FeedHub(FeedHub.DEFAULT_RETAINED_ENTRIES);
  private ControlState state;

  ControlStateMachine(RemovalPolicy policy) {
    this.policy = policy;
    this.state = ControlState.empty(policy);
    this.publisher = new ViewPublisher(state.view());
  }

  ViewPublisher publisher() {
    return publisher;
  }

  synchronized int standingSuspicions() {
    return state.standingSuspicions();
  }

  synchronized boolean sessionsExpire() {
    return state.sessionsExpire();
  }

  /** The committed entries as the follow feed serves them to plain agents. */
  FeedHub feed() {
    return feed;
  }

  /**
   * A log index with no command (the leader's first entry of a term, a configuration change): the
   * state and the feed advance past it, so followers' indexes stay the log's.
   */
  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    ControlView view = null;
    synchronized (this) {
      if (index > state.lastAppliedIndex()) {
        state.skip(index);
        fillFeedThrough(index);
        view = state.view();
      }
    }
    super.notifyTermIndexUpdated(term, index);
    if (view != null) {
      publisher.publish(view);
    }
  }

  /** Publishes an empty entry for every index up to {@code index} the feed has not seen. */
  private void fillFeedThrough(long index) {
    for (long next = feed.lastIndex() + 1; next <= index; next++) {
      feed.publish(next, NO_COMMAND);
    }
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    load(storage.getLatestSnapshot());
  }

  @Override
  public void reinitialize() throws IOException {
    load(storage.loadLatestSnapshot());
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    byte[] bytes = entry.getStateMachineLogEntry().getLogData().toByteArray();
    byte[] result = apply(entry.getTerm(), entry.getIndex(), bytes);
    return CompletableFuture.completedFuture(Message.valueOf(wrap(result)));
  }

  private byte[] apply(long term, long index, byte[] bytes) {
    ApplyResult result;
    ControlView view;
    synchronized (this) {
      result = applySafely(index, bytes);
      fillFeedThrough(index - 1);
      if (index > feed.lastIndex()) {
        feed.publish(index, bytes);
      }
      updateLastAppliedTermIndex(term, index);
      view = state.view();
    }
    publisher.publish(view);
    try {
      return WireControlCodec.encodeResult(result);
    } catch (RuntimeException e) {
      // Same reasoning as applySafely: the entry is applied; only its answer cannot be encoded.
      LOG.error("the result of entry {} cannot be encoded: {}", index, e.toString());
      return WireControlCodec.encodeResult(
          new ApplyResult.Refused(index, RefusalCode.INVALID, "the result could not be encoded"));
    }
  }

  /**
   * A bug that throws inside the state machine must not stop the replica: Ratis would shut the
   * server down (and, the code being the same everywhere, every replica at that entry). The entry
   * is skipped as refused, which every replica does alike, and the error is logged loudly.
   */
  private ApplyResult applySafely(long index, byte[] bytes) {
    try {
      return state.apply(index, bytes);
    } catch (RuntimeException e) {
      LOG.error("entry {} broke the state machine; skipped as refused", index, e);
      state.skip(index);
      return new ApplyResult.Refused(
          index, RefusalCode.INVALID, "the state machine failed on this entry: " + e);
    }
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    long index = publisher.current().index();
    return CompletableFuture.completedFuture(
        Message.valueOf(wrap(ByteBuffer.allocate(Long.BYTES).putLong(index).array())));
  }

  @Override
  public synchronized long takeSnapshot() throws IOException {
    TermIndex applied = getLastAppliedTermIndex();
    if (applied == null || applied.getIndex() < 0) {
      return NO_INDEX;
    }
    ControlSnapshot taken = state.snapshot();
    byte[] bytes = WireControlCodec.encodeSnapshot(taken);
    SnapshotFiles.write(storage, applied, bytes);
    // The feed may now forget entries below it: a follower that far behind gets this snapshot.
    feed.snapshotTaken(taken.view().index(), taken);
    LOG.info("control snapshot at {} ({} bytes)", applied, bytes.length);
    return applied.getIndex();
  }

  private synchronized void load(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null || !Files.exists(snapshot.getFile().getPath())) {
      return;
    }
    try {
      state =
          ControlState.restore(
              WireControlCodec.decodeSnapshot(SnapshotFiles.read(snapshot)), policy);
    } catch (ControlDecodeException e) {
      throw new IOException("snapshot " + snapshot.getFile().getPath() + " does not decode", e);
    }
    setLastAppliedTermIndex(snapshot.getTermIndex());
    ControlSnapshot loaded = state.snapshot();
    feed.snapshotTaken(loaded.view().index(), loaded);
    publisher.publish(state.view());
    LOG.info("control state restored from snapshot at {}", snapshot.getTermIndex());
  }

  private static ByteString wrap(byte[] bytes) {
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  /** Decodes a {@link #query} answer. */
  static long decodeAppliedIndex(ByteString content) {
    if (content.size() != Long.BYTES) {
      throw new IllegalStateException("applied-index answer of " + content.size() + " bytes");
    }
    return content.asReadOnlyByteBuffer().getLong();
  }
}
