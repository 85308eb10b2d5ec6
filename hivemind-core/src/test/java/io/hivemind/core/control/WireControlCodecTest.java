package io.hivemind.core.control;

import static io.hivemind.core.control.ControlLog.admit;
import static io.hivemind.core.control.ControlLog.bytes;
import static io.hivemind.core.control.ControlLog.kvSet;
import static io.hivemind.core.control.ControlLog.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.wire.proto.WireAddress;
import io.hivemind.core.wire.proto.WireAdmitMember;
import io.hivemind.core.wire.proto.WireEntry;
import io.hivemind.core.wire.proto.WireMember;
import io.hivemind.core.wire.proto.WireObservation;
import io.hivemind.core.wire.proto.WireRemoveMember;
import io.hivemind.core.wire.proto.WireReportObservations;
import io.hivemind.core.wire.proto.WireResult;
import io.hivemind.core.wire.proto.WireSnapshot;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Golden, malformed and fuzzed control-plane bytes: every record survives a round trip; bytes that
 * break a rule, and random mutations, give {@link ControlDecodeException} or a valid record, never
 * another exception. Forged messages are built with the generated types.
 */
class WireControlCodecTest {

  private static final long SEED = 10;

  /**
   * WireEntry{version 1, time_millis 1000, kv_set{key "k", value "v", flags 3, cas_index -1}},
   * encoded by hand from control.proto: a format change that breaks old logs fails here.
   */
  private static final byte[] GOLDEN_ENTRY =
      HexFormat.of()
          .parseHex(
              "0801" // version 1
                  + "10e807" // time_millis 1000
                  + "4a13" // kv_set, 19 bytes
                  + "0a016b" // key "k"
                  + "120176" // value "v"
                  + "1803" // flags 3
                  + "20ffffffffffffffffff01"); // cas_index -1

  static List<ControlCommand> everyCommand() {
    return List.of(
        new ControlCommand.Bootstrap("c1", "production"),
        new ControlCommand.AdmitMember(member("id-a", "a", "control", "catalog")),
        new ControlCommand.AdmitMember(
            member("id-a", "a", "dns"), List.of("catalog", "host"), "ab".repeat(32)),
        new ControlCommand.RemoveMember("id-a", RemovalReason.FAILED, List.of("id-b", "id-c")),
        new ControlCommand.RemoveMember("id-a", RemovalReason.LEFT, List.of()),
        new ControlCommand.RemoveMember("id-a", RemovalReason.OPERATOR, List.of()),
        new ControlCommand.ReportObservations(
            List.of(
                new Observation("id-b", "id-a", "a", 3, Observation.Kind.SUSPECT, 1, 1_000),
                new Observation("id-c", "id-a", "a", 4, Observation.Kind.ALIVE, 0, 2_000))),
        new ControlCommand.Tick(),
        new ControlCommand.AppendEvent("config-update", "host-1", bytes("{}")),
        new ControlCommand.KvSet("config/x", bytes("value"), -1L, 0),
        new ControlCommand.KvSet("k", new byte[0], 0, 17),
        new ControlCommand.KvDelete("config/", true, -1),
        new ControlCommand.KvDelete("k", false, 17),
        ControlStateCatalogTest.register("ext-1", "web", "web-1", "passing"),
        new ControlCommand.CatalogRegister(
            ControlStateCatalogTest.node("ext-2"), java.util.Optional.empty(), List.of(), true),
        new ControlCommand.CatalogDeregister("ext-1", "web-1", ""),
        new ControlCommand.CatalogDeregister("ext-1", "", "check-web-1"),
        new ControlCommand.CatalogDeregister("ext-1", "", ""),
        ControlStatePartitionTest.threeMemberTable(),
        new ControlCommand.CompleteMoves(
            1,
            List.of(
                new io.hivemind.core.partition.MoveInFlight(
                    new io.hivemind.core.partition.PartitionMove(3, 1, "id-b", "id-c"), 1))),
        new ControlCommand.DrainMember("id-a"),
        new ControlCommand.SessionCreate(
            SESSION, "lock holder", "a", SessionBehavior.DELETE, 30_000, 15_000),
        new ControlCommand.SessionRenew(SESSION, "a"),
        new ControlCommand.SessionDestroy(SESSION, "a"),
        new ControlCommand.KvLock("lead", bytes("me"), 3, SESSION, true),
        new ControlCommand.KvLock("lead", new byte[0], 0, SESSION, false),
        new ControlCommand.KvTxn(
            List.of(
                new KvOp(KvOp.Verb.CAS, "config/x", bytes("2"), 1, 7, ""),
                new KvOp(KvOp.Verb.LOCK, "lead", bytes("me"), 0, 0, SESSION),
                KvOp.of(KvOp.Verb.GET_TREE, "config/"),
                new KvOp(KvOp.Verb.CHECK_INDEX, "config/y", new byte[0], 0, 9, ""),
                KvOp.of(KvOp.Verb.DELETE_TREE, ""))),
        new ControlCommand.AclTokenUpsert(
            new io.hivemind.core.acl.AclToken(
                "00000000-0000-0000-0000-000000000002",
                "ab".repeat(32),
                "",
                true,
                List.of(),
                0,
                0)),
        new ControlCommand.AclTokenDelete("00000000-0000-0000-0000-000000000001"),
        new ControlCommand.Batch(
            List.of(new ControlCommand.Tick(), new ControlCommand.KvDelete("k", false, -1))));
  }

  private static final String SESSION = "11111111-1111-1111-1111-111111111111";

  /**
   * Every kind of command is among the samples the round trip and the mutations start from: a
   * command added without a wire test fails here.
   */
  @Test
  void everyCommand_coversEveryKindOfCommand() {
    java.util.Set<Class<?>> sampled = new java.util.HashSet<>();
    everyCommand().forEach(command -> sampled.add(command.getClass()));

    assertThat(sampled).containsExactlyInAnyOrder(ControlCommand.class.getPermittedSubclasses());
  }

  @Test
  void entry_everyCommand_roundTrips() throws ControlDecodeException {
    for (ControlCommand command : everyCommand()) {
      ControlEntry entry = ControlEntry.of(1_700_000_000_123L, command);

      assertThat(WireControlCodec.decodeEntry(WireControlCodec.encodeEntry(entry)))
          .isEqualTo(entry);
    }
  }

  @Test
  void entry_golden_decodesAndEncodesToTheSameBytes() throws ControlDecodeException {
    ControlEntry entry = ControlEntry.of(1_000, new ControlCommand.KvSet("k", bytes("v"), 3, -1));

    assertThat(WireControlCodec.decodeEntry(GOLDEN_ENTRY)).isEqualTo(entry);
    assertThat(WireControlCodec.encodeEntry(entry)).isEqualTo(GOLDEN_ENTRY);
  }

  @Test
  void entry_newerVersion_refusedNamingIt() {
    byte[] newer =
        WireEntry.newBuilder()
            .setVersion(ControlEntry.CURRENT_VERSION + 1)
            .setTick(io.hivemind.core.wire.proto.WireTick.getDefaultInstance())
            .build()
            .toByteArray();

    assertThatThrownBy(() -> WireControlCodec.decodeEntry(newer))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining("entry version 2")
        .hasMessageContaining("newer");
  }

  @Test
  void entry_withoutVersionOrCommand_refused() {
    byte[] noVersion = WireEntry.newBuilder().setTimeMillis(5).build().toByteArray();
    byte[] noCommand = WireEntry.newBuilder().setVersion(1).build().toByteArray();

    assertThatThrownBy(() -> WireControlCodec.decodeEntry(noVersion))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining("version 0");
    assertThatThrownBy(() -> WireControlCodec.decodeEntry(noCommand))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining("without a command");
  }

  @Test
  void entry_unknownEnums_refused() {
    WireEntry badReason =
        WireEntry.newBuilder()
            .setVersion(1)
            .setRemoveMember(WireRemoveMember.newBuilder().setMemberId("id-a").setReasonValue(9))
            .build();
    WireEntry unspecifiedReason =
        badReason.toBuilder()
            .setRemoveMember(WireRemoveMember.newBuilder().setMemberId("id-a"))
            .build();
    WireEntry badKind =
        WireEntry.newBuilder()
            .setVersion(1)
            .setReportObservations(
                WireReportObservations.newBuilder()
                    .addObservations(
                        WireObservation.newBuilder()
                            .setObserver("id-b")
                            .setSubject("id-a")
                            .setSubjectName("a")
                            .setKindValue(7)))
            .build();

    assertDecodeFails(badReason, "removal reason 9");
    assertDecodeFails(unspecifiedReason, "removal reason 0");
    assertDecodeFails(badKind, "observation kind 7");
  }

  @Test
  void entry_memberAddressOutOfRange_refused() {
    WireMember good = WireControlEncoder.member(member("id-a", "a"));

    assertDecodeFails(admission(good.toBuilder().clearAddress().build()), "without an address");
    assertDecodeFails(
        admission(
            good.toBuilder().setAddress(WireAddress.newBuilder().setHost("127.0.0.1")).build()),
        "port 0");
    assertDecodeFails(
        admission(
            good.toBuilder()
                .setAddress(WireAddress.newBuilder().setHost("127.0.0.1").setPort(70_000))
                .build()),
        "port 70000");
    assertDecodeFails(
        admission(
            good.toBuilder().setAddress(WireAddress.newBuilder().setHost(" ").setPort(1)).build()),
        "without a host");
    assertDecodeFails(
        admission(
            good.toBuilder()
                .setAddress(WireAddress.newBuilder().setHost("127.0.0.1\r").setPort(1))
                .build()),
        "host");
    assertDecodeFails(admission(good.toBuilder().setAdmittedIndex(-1).build()), "negative");
  }

  @Test
  void entry_fieldRules_refusedNamingTheField() {
    WireMember good = WireControlEncoder.member(member("id-a", "a"));
    WireMember.Builder manyRoles = good.toBuilder();
    for (int i = 0; i < 17; i++) {
      manyRoles.addRoles("role-" + i);
    }

    assertDecodeFails(admission(good.toBuilder().setName("a\u0007").build()), "member name");
    assertDecodeFails(admission(good.toBuilder().setName("n".repeat(129)).build()), "129 chars");
    assertDecodeFails(admission(manyRoles.build()), "roles");
    assertDecodeFails(admission(good.toBuilder().setZone("zone a").build()), "zone");
    assertDecodeFails(
        WireControlEncoder.entry(ControlEntry.of(1, kvSet("k".repeat(513), "v", -1))), "KV key");
    assertDecodeFails(
        WireControlEncoder.entry(ControlEntry.of(-5, new ControlCommand.Tick())), "negative");
  }

  @Test
  void entry_oversized_refusedBeforeParsing() {
    byte[] huge = new byte[WireControlCodec.MAX_ENTRY_BYTES + 1];

    assertThatThrownBy(() -> WireControlCodec.decodeEntry(huge))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining("bytes");
  }

  @Test
  void result_bothOutcomes_roundTrip() throws ControlDecodeException {
    ControlEvent event = new ControlEvent(7, 3, 1_000, "member-admitted", "a", bytes("id=id-a"));
    List<ApplyResult> results =
        List.of(
            new ApplyResult.Applied(7, 3, List.of(event, event)),
            new ApplyResult.Applied(8, 3, List.of()),
            new ApplyResult.Refused(9, RefusalCode.CAS_MISMATCH, "key k has modify index 3"),
            new ApplyResult.Applied(
                10,
                3,
                List.of(),
                List.of(
                    new KvEntry("a", bytes("1"), 5, 2, 10, 1, SESSION),
                    new KvEntry("b", new byte[0], 0, 10, 10))),
            new ApplyResult.Refused(11, RefusalCode.LOCK_REFUSED, "operation 0: locked", 0),
            new ApplyResult.Batched(
                12,
                List.of(
                    new ApplyResult.Refused(12, RefusalCode.CAS_MISMATCH, "operation 3: gone", 3),
                    new ApplyResult.Applied(
                        12, 3, List.of(), List.of(new KvEntry("c", bytes("2"), 0, 12, 12))))));

    for (ApplyResult result : results) {
      assertThat(WireControlCodec.decodeResult(WireControlCodec.encodeResult(result)))
          .isEqualTo(result);
    }
    for (RefusalCode code : RefusalCode.values()) {
      ApplyResult refused = new ApplyResult.Refused(1, code, "m");
      assertThat(WireControlCodec.decodeResult(WireControlCodec.encodeResult(refused)))
          .isEqualTo(refused);
    }
  }

  @Test
  void result_malformed_refused() {
    byte[] noOutcome = WireResult.newBuilder().setIndex(3).build().toByteArray();
    byte[] negative =
        WireControlEncoder.result(new ApplyResult.Applied(-1, 0, List.of())).toByteArray();

    assertThatThrownBy(() -> WireControlCodec.decodeResult(noOutcome))
        .isInstanceOf(ControlDecodeException.class);
    assertThatThrownBy(() -> WireControlCodec.decodeResult(negative))
        .isInstanceOf(ControlDecodeException.class);
  }

  @Test
  void snapshot_roundTrips() throws ControlDecodeException {
    ControlSnapshot snapshot = sampleSnapshot();

    ControlSnapshot decoded =
        WireControlCodec.decodeSnapshot(WireControlCodec.encodeSnapshot(snapshot));

    assertThat(decoded).isEqualTo(snapshot);
  }

  @Test
  void snapshot_inconsistent_refused() {
    WireSnapshot good = WireControlEncoder.snapshot(sampleSnapshot(), 1);
    WireMember first = good.getMembers(0);

    assertSnapshotFails(good.toBuilder().setVersion(2).build(), "snapshot version 2");
    assertSnapshotFails(good.toBuilder().addMembers(first).build(), "twice");
    assertSnapshotFails(
        good.toBuilder().addMembers(first.toBuilder().setId("id-z")).build(), "twice");
    assertSnapshotFails(good.toBuilder().addKv(good.getKv(0)).build(), "out of order");
    assertSnapshotFails(good.toBuilder().setIndex(2).build(), "after the snapshot");
    assertSnapshotFails(good.toBuilder().setFirstRetainedEventIndex(100).build(), "first event");
    assertSnapshotFails(good.toBuilder().setEnvironment("moon").build(), "environment");
    assertSnapshotFails(
        good.toBuilder().setCluster("").setEnvironment("").build(), "without a cluster");
  }

  /** Random byte flips of valid messages: a decode exception or a valid record, nothing else. */
  @Test
  void fuzz_mutatedEntries_decodeExceptionOrValidRecord() {
    SplittableRandom random = new SplittableRandom(SEED);
    List<byte[]> samples = encodedSamples();
    int valid = 0;
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = mutate(samples.get(random.nextInt(samples.size())), random);
      try {
        ControlEntry entry = WireControlCodec.decodeEntry(bytes);
        assertThat(ControlFieldRules.problem(entry)).isEmpty();
        valid++;
      } catch (ControlDecodeException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
    assertThat(valid).as("some mutations still decode").isPositive();
  }

  /** Every command, encoded: the fuzz tests' seeds. */
  static List<byte[]> encodedSamples() {
    List<byte[]> samples = new ArrayList<>();
    for (ControlCommand command : everyCommand()) {
      samples.add(WireControlCodec.encodeEntry(ControlEntry.of(1_000, command)));
    }
    return samples;
  }

  @Test
  void fuzz_mutatedResultsAndSnapshots_decodeExceptionOrValidRecord() {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    byte[] snapshot = WireControlCodec.encodeSnapshot(sampleSnapshot());
    byte[] result =
        WireControlCodec.encodeResult(
            new ApplyResult.Applied(
                7, 3, List.of(new ControlEvent(7, 3, 1_000, "member-left", "a", bytes("x")))));
    for (int round = 0; round < 5_000; round++) {
      byte[] mutatedSnapshot = mutate(snapshot, random);
      byte[] mutatedResult = mutate(result, random);
      try {
        WireControlCodec.decodeSnapshot(mutatedSnapshot);
      } catch (ControlDecodeException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
      try {
        WireControlCodec.decodeResult(mutatedResult);
      } catch (ControlDecodeException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  @Test
  void fuzz_randomBytes_decodeExceptionOnly() {
    SplittableRandom random = new SplittableRandom(SEED + 2);
    for (int round = 0; round < 5_000; round++) {
      byte[] garbage = new byte[random.nextInt(64)];
      random.nextBytes(garbage);
      for (Decoder decoder :
          List.<Decoder>of(
              WireControlCodec::decodeEntry,
              WireControlCodec::decodeResult,
              WireControlCodec::decodeSnapshot)) {
        try {
          decoder.decode(garbage);
        } catch (ControlDecodeException expected) {
          assertThat(expected.getMessage()).isNotBlank();
        }
      }
    }
  }

  /**
   * A state with members, KV, events, a partition table, a suspicion and a removed id, as a
   * snapshot.
   */
  static ControlSnapshot sampleSnapshot() {
    ControlLog log = ControlLog.bootstrapped();
    log.apply(admit("id-a", "a"));
    log.apply(new ControlCommand.AdmitMember(member("id-b", "b", "control", "dns")));
    log.apply(new ControlCommand.KvSet("config/x", bytes("1"), -7L, -1));
    log.apply(kvSet("config/y", "2", -1));
    log.apply(new ControlCommand.AppendEvent("config-update", "b", new byte[] {0, 1, 2}));
    log.apply(ControlStateCatalogTest.register("ext-1", "web", "web-1", "warning"));
    log.apply(ControlStateCatalogTest.register("ext-1", "api", "api-1", "critical"));
    log.apply(ControlStatePartitionTest.firstTable(log.state.view(), 8, 1));
    return new ControlSnapshot(
        log.state.view(),
        List.of(new Suspicion("id-a", "id-b", 3, ControlLog.START_MILLIS, 0)),
        List.of(new RemovedId("id-old", 1)));
  }

  static byte[] mutate(byte[] original, SplittableRandom random) {
    byte[] bytes = original.clone();
    int flips = 1 + random.nextInt(3);
    for (int i = 0; i < flips; i++) {
      int at = random.nextInt(bytes.length);
      bytes[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (bytes[at] ^ 1);
    }
    if (random.nextInt(8) == 0) {
      return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
    }
    return bytes;
  }

  private static WireEntry admission(WireMember member) {
    return WireEntry.newBuilder()
        .setVersion(1)
        .setAdmitMember(WireAdmitMember.newBuilder().setCandidate(member))
        .build();
  }

  private static void assertDecodeFails(WireEntry entry, String message) {
    assertThatThrownBy(() -> WireControlCodec.decodeEntry(entry.toByteArray()))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining(message);
  }

  private static void assertSnapshotFails(WireSnapshot snapshot, String message) {
    assertThatThrownBy(() -> WireControlCodec.decodeSnapshot(snapshot.toByteArray()))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining(message);
  }

  @FunctionalInterface
  private interface Decoder {
    Object decode(byte[] bytes) throws ControlDecodeException;
  }
}
