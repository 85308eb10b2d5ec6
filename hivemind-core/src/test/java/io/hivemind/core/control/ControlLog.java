package io.hivemind.core.control;

import io.hivemind.core.membership.Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A test's log: applies commands to a {@link ControlState} at rising indexes, an entry's time a
 * second after the last, and remembers every entry so another state can replay them. Also builds
 * the records the tests use.
 */
final class ControlLog {

  static final String CLUSTER = "c1";
  static final String ENVIRONMENT = "testing";
  static final long START_MILLIS = 1_700_000_000_000L;

  final ControlState state;
  final List<ControlEntry> entries = new ArrayList<>();
  final List<Long> indexes = new ArrayList<>();
  final List<ApplyResult> results = new ArrayList<>();
  long nextIndex = 1;
  long timeMillis = START_MILLIS;

  ControlLog(ControlState state) {
    this.state = state;
  }

  static ControlLog bootstrapped() {
    ControlLog log = new ControlLog(ControlState.empty(RemovalPolicy.DEFAULT));
    log.apply(bootstrap());
    return log;
  }

  ApplyResult apply(ControlCommand command) {
    timeMillis += 1_000;
    return apply(ControlEntry.of(timeMillis, command));
  }

  ApplyResult apply(ControlEntry entry) {
    long index = nextIndex++;
    entries.add(entry);
    indexes.add(index);
    ApplyResult result = state.apply(index, entry);
    results.add(result);
    return result;
  }

  /** Applies the same entries, at the same indexes, to {@code other}. */
  void replay(ControlState other) {
    replayFrom(other, 0);
  }

  /** Applies the entries from the {@code from}-th on to {@code other}. */
  void replayFrom(ControlState other, int from) {
    for (int i = from; i < entries.size(); i++) {
      other.apply(indexes.get(i), entries.get(i));
    }
  }

  static ControlCommand.Bootstrap bootstrap() {
    return new ControlCommand.Bootstrap(CLUSTER, ENVIRONMENT);
  }

  static ControlMember member(String id, String name, String... roles) {
    return new ControlMember(
        id, name, new Address("127.0.0.1", 7946), List.of(roles), "zone-a", "host-1", 0, 0);
  }

  static ControlCommand.AdmitMember admit(String id, String name) {
    return new ControlCommand.AdmitMember(member(id, name, "catalog"));
  }

  static ControlCommand.RemoveMember remove(String id, RemovalReason reason) {
    return new ControlCommand.RemoveMember(id, reason, List.of());
  }

  static ControlCommand.KvSet kvSet(String key, String value, long cas) {
    return new ControlCommand.KvSet(key, bytes(value), 0, cas);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The view with its index zeroed and without sessions: a refused entry advances only the index
   * and the sessions' clock.
   */
  static ControlView withoutIndex(ControlView view) {
    return new ControlView(
        0,
        view.epoch(),
        view.cluster(),
        view.environment(),
        view.members(),
        view.kv(),
        view.events(),
        view.firstRetainedEventIndex(),
        view.external(),
        view.acl(),
        view.partitionTable());
  }
}
