package io.hivemind.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.api.Environment;
import io.hivemind.core.wire.proto.CatalogCheck;
import io.hivemind.core.wire.proto.CatalogDeltaBody;
import io.hivemind.core.wire.proto.CatalogDeltas;
import io.hivemind.core.wire.proto.CatalogDigest;
import io.hivemind.core.wire.proto.CatalogFrame;
import io.hivemind.core.wire.proto.CatalogInstance;
import io.hivemind.core.wire.proto.CatalogOwnerState;
import io.hivemind.core.wire.proto.CatalogStates;
import io.hivemind.core.wire.proto.CatalogVersion;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Golden, round-trip, malformed and fuzzed frames of the catalogue's replication protocol. */
class WireCatalogCodecTest {

  private static final long SEED = 11;

  /**
   * CatalogFrame{version 1, digest{versions [{owner "a", generation 1, seq 2}], answer_with_own}},
   * encoded by hand from catalog.proto.
   */
  private static final byte[] GOLDEN_DIGEST =
      HexFormat.of().parseHex("0801" + "220b" + "0a07" + "0a0161" + "1001" + "1802" + "1001");

  static ServiceInstance instance(String owner, String id) {
    return new ServiceInstance(
        "web",
        id,
        "127.0.0.1",
        8080,
        List.of("v1", "blue"),
        Map.of("zone", "a", "team", "core"),
        new Weights(3, 0),
        Environment.TESTING,
        owner,
        ServiceInstance.AGENT_SESSION,
        List.of(
            new CheckStatus("c2", "http", CheckKind.HTTP, HealthStatus.WARNING, "429"),
            new CheckStatus("c1", "ttl", CheckKind.TTL, HealthStatus.PASSING, ""),
            new CheckStatus("disk", "disk", CheckKind.TCP, HealthStatus.PASSING, "", true),
            new CheckStatus(
                "_node_maintenance",
                "m",
                CheckKind.MAINTENANCE,
                HealthStatus.CRITICAL,
                "x",
                true)));
  }

  @Test
  void decode_goldenDigest_isTheRecord() throws Exception {
    var digest = new CatalogMessage.Digest(Map.of("a", new OwnerVersion(1, 2)), true);
    assertThat(WireCatalogCodec.decode(GOLDEN_DIGEST)).isEqualTo(digest);
    assertThat(WireCatalogCodec.encode(digest)).isEqualTo(GOLDEN_DIGEST);
  }

  @Test
  void roundTrip_everyMessage_comesBackEqual() throws Exception {
    List<CatalogMessage> messages =
        List.of(
            new CatalogMessage.Deltas(
                List.of(
                    new CatalogDelta(
                        "n1",
                        1_700_000_000_000L,
                        0,
                        1,
                        List.of(instance("n1", "web-1")),
                        List.of()),
                    new CatalogDelta("n2", 5, 7, 9, List.of(), List.of("gone-1", "gone-2")))),
            new CatalogMessage.Deltas(List.of()),
            new CatalogMessage.States(
                List.of(
                    new OwnerState("n1", 3, 4, List.of(instance("n1", "a"), instance("n1", "b"))),
                    new OwnerState("n3", -1, 0, List.of()))),
            new CatalogMessage.Digest(
                Map.of("n1", new OwnerVersion(3, 4), "n2", new OwnerVersion(5, 9)), false),
            new CatalogMessage.Digest(Map.of(), true),
            new CatalogMessage.StateChunk(
                new OwnerStateChunk("n1", 3, 4, 1, 2, List.of(instance("n1", "c")))));
    for (CatalogMessage message : messages) {
      assertThat(WireCatalogCodec.decode(WireCatalogCodec.encode(message))).isEqualTo(message);
    }
  }

  @Test
  void decode_otherVersionOrNoBody_isRefused() {
    byte[] newer = CatalogFrame.newBuilder().setVersion(2).build().toByteArray();
    assertThatThrownBy(() -> WireCatalogCodec.decode(newer))
        .isInstanceOf(CatalogDecodeException.class)
        .hasMessageContaining("version 2");
    byte[] empty = CatalogFrame.newBuilder().setVersion(1).build().toByteArray();
    assertThatThrownBy(() -> WireCatalogCodec.decode(empty))
        .isInstanceOf(CatalogDecodeException.class)
        .hasMessageContaining("without a body");
  }

  @Test
  void decode_garbageOrOversized_isRefused() {
    assertThatThrownBy(() -> WireCatalogCodec.decode(new byte[] {(byte) 0xff, (byte) 0xff, 1}))
        .isInstanceOf(CatalogDecodeException.class)
        .hasMessageContaining("not a catalogue frame");
    assertThatThrownBy(
            () -> WireCatalogCodec.decode(new byte[WireCatalogCodec.MAX_FRAME_BYTES + 1]))
        .isInstanceOf(CatalogDecodeException.class)
        .hasMessageContaining("more than");
  }

  @Test
  void decode_tooManyDeltasOrStatesOrOwners_isRefusedBeforeBuildingRecords() {
    CatalogDeltas.Builder deltas = CatalogDeltas.newBuilder();
    for (int i = 0; i <= WireCatalogCodec.MAX_DELTAS; i++) {
      deltas.addDeltas(CatalogDeltaBody.getDefaultInstance());
    }
    assertRefused(CatalogFrame.newBuilder().setVersion(1).setDeltas(deltas), "deltas: 1025");
    CatalogStates.Builder states = CatalogStates.newBuilder();
    for (int i = 0; i <= WireCatalogCodec.MAX_STATES; i++) {
      states.addStates(CatalogOwnerState.getDefaultInstance());
    }
    assertRefused(CatalogFrame.newBuilder().setVersion(1).setStates(states), "states: 257");
    CatalogInstance.Builder tagged = wireInstance();
    for (int i = 0; i <= ServiceInstance.MAX_TAGS; i++) {
      tagged.addTags("t" + i);
    }
    assertRefused(stateOf("n1", tagged), "tags: 67, more than 64");
  }

  @Test
  void decode_invalidFields_areRefusedWithTheRule() {
    assertRefused(stateOf("bad owner", wireInstance()), "owner");
    assertRefused(stateOf("n1", wireInstance().setService("no.dots")), "service name");
    assertRefused(stateOf("n1", wireInstance().setPort(70_000)), "port 70000");
    assertRefused(stateOf("n1", wireInstance().setEnvironmentValue(0)), "unknown environment 0");
    assertRefused(stateOf("n1", wireInstance().setWeightPassing(0)), "passing weight");
    assertRefused(
        stateOf("n1", wireInstance().addChecks(CatalogCheck.newBuilder().setCheckId("c"))),
        "unknown check kind 0");
    assertRefused(
        CatalogFrame.newBuilder()
            .setVersion(1)
            .setStates(
                CatalogStates.newBuilder()
                    .addStates(
                        CatalogOwnerState.newBuilder()
                            .setOwner("n1")
                            .addInstances(wireInstance())
                            .addInstances(wireInstance()))),
        "twice");
  }

  @Test
  void decode_deltaWithEmptyOrBackwardSpanOrHugeSeq_isRefused() {
    assertRefused(
        deltaOf(CatalogDeltaBody.newBuilder().setOwner("n1").setFromSeq(3).setToSeq(3)),
        "fromSeq < toSeq");
    assertRefused(deltaOf(CatalogDeltaBody.newBuilder().setOwner("n1").setToSeq(-1)), "too large");
    assertRefused(
        deltaOf(CatalogDeltaBody.newBuilder().setOwner("n1").setToSeq(1).addRemovedIds("a/b")),
        "removed id");
  }

  @Test
  void decode_digestListingAnOwnerTwice_isRefused() {
    CatalogVersion version = CatalogVersion.newBuilder().setOwner("n1").setSeq(1).build();
    assertRefused(
        CatalogFrame.newBuilder()
            .setVersion(1)
            .setDigest(CatalogDigest.newBuilder().addVersions(version).addVersions(version)),
        "twice");
  }

  /** Random bytes and mutated real frames: a record or the typed exception, nothing else. */
  @Test
  void decode_fuzzedInput_neverThrowsAnythingElse() {
    SplittableRandom random = new SplittableRandom(SEED);
    List<byte[]> real =
        List.of(
            WireCatalogCodec.encode(
                new CatalogMessage.Deltas(
                    List.of(
                        new CatalogDelta(
                            "n1", 1, 0, 2, List.of(instance("n1", "w")), List.of("x"))))),
            WireCatalogCodec.encode(
                new CatalogMessage.States(
                    List.of(new OwnerState("n1", 1, 2, List.of(instance("n1", "w")))))),
            GOLDEN_DIGEST,
            WireCatalogCodec.encode(
                new CatalogMessage.StateChunk(
                    new OwnerStateChunk("n1", 1, 2, 0, 3, List.of(instance("n1", "w"))))));
    for (int round = 0; round < 20_000; round++) {
      byte[] input;
      if (round % 4 == 0) {
        input = new byte[random.nextInt(64)];
        random.nextBytes(input);
      } else {
        byte[] base = real.get(random.nextInt(real.size()));
        input = Arrays.copyOf(base, Math.max(1, base.length + random.nextInt(-4, 5)));
        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
          input[random.nextInt(input.length)] = (byte) random.nextInt(256);
        }
      }
      try {
        assertThat(WireCatalogCodec.decode(input)).isNotNull();
      } catch (CatalogDecodeException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      } catch (RuntimeException e) {
        throw new AssertionError(
            "seed " + SEED + " round " + round + ": " + HexFormat.of().formatHex(input), e);
      }
    }
  }

  private static CatalogInstance.Builder wireInstance() {
    return WireCatalogInstances.encode(instance("n1", "web-1")).toBuilder();
  }

  private static CatalogFrame.Builder stateOf(String owner, CatalogInstance.Builder instance) {
    return CatalogFrame.newBuilder()
        .setVersion(1)
        .setStates(
            CatalogStates.newBuilder()
                .addStates(CatalogOwnerState.newBuilder().setOwner(owner).addInstances(instance)));
  }

  private static CatalogFrame.Builder deltaOf(CatalogDeltaBody.Builder delta) {
    return CatalogFrame.newBuilder()
        .setVersion(1)
        .setDeltas(CatalogDeltas.newBuilder().addDeltas(delta));
  }

  private static void assertRefused(CatalogFrame.Builder frame, String because) {
    byte[] bytes = frame.build().toByteArray();
    assertThatThrownBy(() -> WireCatalogCodec.decode(bytes))
        .isInstanceOf(CatalogDecodeException.class)
        .hasMessageContaining(because);
  }
}
