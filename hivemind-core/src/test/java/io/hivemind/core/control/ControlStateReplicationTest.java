package io.hivemind.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What replication relies on: two replicas fed the same entries agree, a replica restored from a
 * snapshot (also through its bytes) continues as the original, and no bytes make apply throw.
 * Workloads are random but seeded; a failure names its seed.
 */
class ControlStateReplicationTest {

  private static final int ENTRIES = 3_000;

  @Test
  void sameEntries_equalResultsAndViews() {
    for (long seed = 1; seed <= 5; seed++) {
      ControlLog log = workload(seed, ENTRIES);
      ControlState other = ControlState.empty(RemovalPolicy.DEFAULT);

      List<ApplyResult> replayed = new ArrayList<>();
      for (int i = 0; i < log.entries.size(); i++) {
        replayed.add(
            other.apply(log.indexes.get(i), WireControlCodec.encodeEntry(log.entries.get(i))));
      }

      assertThat(other.view()).as("seed %d", seed).isEqualTo(log.state.view());
      assertThat(other.snapshot()).as("seed %d", seed).isEqualTo(log.state.snapshot());
      assertThat(replayed).as("seed %d", seed).isEqualTo(log.results);
    }
  }

  @Test
  void workload_exercisesEveryOutcome() {
    ControlLog log = workload(1, ENTRIES);

    assertThat(log.results).filteredOn(ApplyResult.Applied.class::isInstance).isNotEmpty();
    List<RefusalCode> refusals =
        log.results.stream()
            .filter(ApplyResult.Refused.class::isInstance)
            .map(r -> ((ApplyResult.Refused) r).code())
            .distinct()
            .toList();
    assertThat(refusals)
        .contains(
            RefusalCode.NAME_TAKEN,
            RefusalCode.ID_REUSED,
            RefusalCode.UNKNOWN_MEMBER,
            RefusalCode.CAS_MISMATCH,
            RefusalCode.ALREADY_BOOTSTRAPPED);
    assertThat(log.state.view().events())
        .extracting(ControlEvent::payloadText)
        .anySatisfy(p -> assertThat(p).contains("reason=FAILED").contains("why="));
  }

  @Test
  void restoredFromSnapshot_thenSameEntries_equalViews() throws ControlDecodeException {
    for (long seed = 1; seed <= 5; seed++) {
      ControlLog log = workload(seed, ENTRIES);
      ControlSnapshot midway = log.state.snapshot();
      byte[] bytes = WireControlCodec.encodeSnapshot(midway);
      ControlState restored = ControlState.restore(midway, RemovalPolicy.DEFAULT);
      ControlState fromBytes =
          ControlState.restore(WireControlCodec.decodeSnapshot(bytes), RemovalPolicy.DEFAULT);
      assertThat(fromBytes.snapshot()).as("seed %d", seed).isEqualTo(midway);
      assertThat(midway.suspicions()).as("seed %d suspicions", seed).isNotEmpty();
      assertThat(midway.view().members()).as("seed %d members", seed).hasSizeGreaterThan(3);
      int from = log.entries.size();

      continueWorkload(log, new SplittableRandom(seed * 31), ENTRIES);
      log.replayFrom(restored, from);
      log.replayFrom(fromBytes, from);

      assertThat(restored.view()).as("seed %d", seed).isEqualTo(log.state.view());
      assertThat(fromBytes.view()).as("seed %d", seed).isEqualTo(log.state.view());
      assertThat(fromBytes.snapshot()).as("seed %d", seed).isEqualTo(log.state.snapshot());
    }
  }

  @Test
  void restore_smallerRetention_keepsTheNewestEvents() {
    ControlLog log = workload(3, 500);
    ControlView view = log.state.view();

    ControlState restored = ControlState.restore(log.state.snapshot(), RemovalPolicy.DEFAULT, 10);

    List<ControlEvent> kept = restored.view().events();
    assertThat(kept.size()).isBetween(1, 10);
    assertThat(view.events()).endsWith(kept.toArray(ControlEvent[]::new));
    long lastPurged = view.events().get(view.events().size() - kept.size() - 1).index();
    assertThat(restored.view().firstRetainedEventIndex())
        .isBetween(lastPurged + 1, kept.get(0).index());
  }

  @Test
  void mutatedEntryBytes_neverThrow_replicasStillAgree() {
    SplittableRandom random = new SplittableRandom(7);
    ControlLog log = workload(7, 200);
    ControlState other = ControlState.empty(RemovalPolicy.DEFAULT);
    log.replay(other);
    List<byte[]> samples = WireControlCodecTest.encodedSamples();
    long index = log.nextIndex;
    for (int round = 0; round < 5_000; round++) {
      byte[] bytes =
          WireControlCodecTest.mutate(samples.get(random.nextInt(samples.size())), random);
      ApplyResult result = log.state.apply(index, bytes);
      if (!other.apply(index, bytes).equals(result) || result.index() != index) {
        throw new AssertionError("replicas disagree at " + index + ": " + result);
      }
      index++;
    }
    assertThat(other.view()).isEqualTo(log.state.view());
  }

  /** A bootstrapped log with {@code count} random entries. */
  static ControlLog workload(long seed, int count) {
    ControlLog log = ControlLog.bootstrapped();
    continueWorkload(log, new SplittableRandom(seed), count);
    return log;
  }

  /**
   * Random commands over small pools of names, ids and keys, so that names collide, ids come back,
   * cas indexes miss and the removal rule meets agreeing observers.
   */
  static void continueWorkload(ControlLog log, SplittableRandom random, int count) {
    for (int i = 0; i < count; i++) {
      log.timeMillis += random.nextInt(800);
      log.apply(randomCommand(log, random));
    }
  }

  private static ControlCommand randomCommand(ControlLog log, SplittableRandom random) {
    String key = "k/" + random.nextInt(8) + "/" + random.nextInt(3);
    int dice = random.nextInt(100);
    if (dice < 20) {
      // Mostly a fresh id; now and then one used before (refused ID_REUSED).
      long id = random.nextInt(10) == 0 ? random.nextLong(log.nextIndex) : log.nextIndex;
      return new ControlCommand.AdmitMember(
          ControlLog.member("id-" + id, "n" + random.nextInt(15), "catalog"));
    } else if (dice < 26) {
      RemovalReason reason = RemovalReason.values()[random.nextInt(3)];
      return new ControlCommand.RemoveMember(someId(log, random), reason, List.of());
    } else if (dice < 46) {
      return observations(log, random);
    } else if (dice < 56) {
      return new ControlCommand.Tick();
    } else if (dice < 62) {
      return new ControlCommand.AppendEvent(
          "config-update", "host-1", ControlLog.bytes("v" + random.nextInt(100)));
    } else if (dice < 85) {
      long cas = random.nextInt(3) == 0 ? -1 : random.nextLong(Math.max(1, log.nextIndex));
      return new ControlCommand.KvSet(key, ControlLog.bytes("v" + dice), random.nextLong(), cas);
    } else if (dice < 99) {
      boolean recurse = random.nextInt(4) == 0;
      long cas = recurse || random.nextBoolean() ? -1 : random.nextLong(log.nextIndex);
      return new ControlCommand.KvDelete(recurse ? "k/" + random.nextInt(8) : key, recurse, cas);
    }
    return ControlLog.bootstrap();
  }

  /** A live member's id mostly, else one that may never have been admitted. */
  private static String someId(ControlLog log, SplittableRandom random) {
    List<ControlMember> members = log.state.view().members();
    if (members.isEmpty() || random.nextInt(5) == 0) {
      return "id-" + random.nextLong(log.nextIndex);
    }
    return members.get(random.nextInt(members.size())).id();
  }

  private static ControlCommand observations(ControlLog log, SplittableRandom random) {
    List<ControlMember> members = log.state.view().members();
    List<Observation> observations = new ArrayList<>();
    for (int i = 0; i < 1 + random.nextInt(4) && members.size() > 1; i++) {
      ControlMember observer = members.get(random.nextInt(members.size()));
      ControlMember subject = members.get(random.nextInt(members.size()));
      Observation.Kind kind =
          random.nextInt(3) == 0 ? Observation.Kind.ALIVE : Observation.Kind.SUSPECT;
      observations.add(
          new Observation(
              observer.id(),
              subject.id(),
              subject.name(),
              random.nextInt(3),
              kind,
              random.nextInt(4),
              log.timeMillis));
    }
    return new ControlCommand.ReportObservations(observations);
  }
}
