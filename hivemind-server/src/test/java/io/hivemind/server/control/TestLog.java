package io.hivemind.server.control;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlEntry;
import io.hivemind.core.control.ControlState;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.RemovalPolicy;
import io.hivemind.core.control.WireControlCodec;
import java.nio.charset.StandardCharsets;

/**
 * A committed log without Raft for unit tests: one state applied directly, fanned out by a {@link
 * FeedHub}. Single-threaded (the test's).
 */
final class TestLog {

  final ControlState state = ControlState.empty(RemovalPolicy.DEFAULT);
  final FeedHub hub;
  private final int snapshotEvery;

  TestLog(int retainedEntries, int snapshotEvery) {
    this.hub = new FeedHub(retainedEntries);
    this.snapshotEvery = snapshotEvery;
  }

  static TestLog bootstrapped(int retainedEntries, int snapshotEvery) {
    TestLog log = new TestLog(retainedEntries, snapshotEvery);
    log.append(new ControlCommand.Bootstrap("c1", "testing"));
    return log;
  }

  ApplyResult append(ControlCommand command) {
    long index = state.lastAppliedIndex() + 1;
    byte[] bytes = WireControlCodec.encodeEntry(ControlEntry.of(index * 1_000, command));
    ApplyResult result = state.apply(index, bytes);
    hub.publish(index, bytes);
    if (hub.entriesSinceSnapshot() >= snapshotEvery) {
      hub.snapshotTaken(index, state.snapshot());
    }
    return result;
  }

  /** Appends {@code count} KV writes {@code k<first>…}. */
  void putKeys(int first, int count) {
    for (int i = first; i < first + count; i++) {
      append(kvSet("k" + i, "v" + i));
    }
  }

  static ControlCommand.KvSet kvSet(String key, String value) {
    return new ControlCommand.KvSet(key, value.getBytes(StandardCharsets.UTF_8), 0, -1);
  }

  ControlView view() {
    return state.view();
  }

  long index() {
    return state.lastAppliedIndex();
  }
}
