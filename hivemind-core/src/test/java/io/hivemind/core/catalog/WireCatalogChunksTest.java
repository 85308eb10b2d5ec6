package io.hivemind.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.wire.proto.CatalogFrame;
import io.hivemind.core.wire.proto.CatalogStateChunk;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An owner's state split into chunk frames, and chunk frames that must be refused. */
class WireCatalogChunksTest {

  private static final int CHUNK_BYTES = 16 * 1024;

  static OwnerState bigState(String owner, int instances) {
    List<ServiceInstance> all = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      all.add(WireCatalogCodecTest.instance(owner, "web-" + i));
    }
    return new OwnerState(owner, 7, 42, all);
  }

  @Test
  void encodeChunks_largeState_isSplitUnderTheBudget_inOrder_andReassemblesToTheSameState()
      throws Exception {
    OwnerState state = bigState("n1", 2_000);
    List<byte[]> frames = WireCatalogCodec.encodeChunks(state, CHUNK_BYTES);
    assertThat(frames).hasSizeGreaterThan(10).allMatch(frame -> frame.length <= CHUNK_BYTES);
    List<ServiceInstance> joined = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      OwnerStateChunk chunk =
          ((CatalogMessage.StateChunk) WireCatalogCodec.decode(frames.get(i))).chunk();
      assertThat(chunk.index()).isEqualTo(i);
      assertThat(chunk.count()).isEqualTo(frames.size());
      assertThat(chunk.version()).isEqualTo(state.version());
      joined.addAll(chunk.instances());
    }
    assertThat(joined).isEqualTo(state.instances());
  }

  @Test
  void encodeChunks_emptyState_isOneEmptyChunk() throws Exception {
    List<byte[]> frames =
        WireCatalogCodec.encodeChunks(new OwnerState("n1", 1, 0, List.of()), 1024);
    assertThat(frames).hasSize(1);
    OwnerStateChunk chunk =
        ((CatalogMessage.StateChunk) WireCatalogCodec.decode(frames.get(0))).chunk();
    assertThat(chunk.isLast()).isTrue();
    assertThat(chunk.instances()).isEmpty();
  }

  @Test
  void encodeChunks_budgetBelowTheHeader_isRefused() {
    assertThatThrownBy(() -> WireCatalogCodec.encodeChunks(bigState("n1", 1), 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunkBytes");
  }

  @Test
  void decode_chunkIndexOrCountOutOfRange_isRefused() {
    assertRefused(chunk("n1", 2, 2), "chunk index");
    assertRefused(chunk("n1", 0, 0), "chunk count");
    assertRefused(chunk("n1", 0, OwnerStateChunk.MAX_CHUNKS + 1), "chunk count");
    assertRefused(chunk("n1", -1, 3), "chunk index"); // uint32 above 2^31 arrives negative
  }

  @Test
  void decode_chunkWithAnIdTwiceOrABadOwner_isRefused() {
    var instance = WireCatalogInstances.encode(WireCatalogCodecTest.instance("n1", "a"));
    assertRefused(chunk("n1", 0, 1).addInstances(instance).addInstances(instance), "twice");
    assertRefused(chunk("bad/owner", 0, 1), "owner");
  }

  @Test
  void chunkRecord_instanceOfAnotherOwner_isRefused() {
    assertThatThrownBy(
            () ->
                new OwnerStateChunk(
                    "n1", 1, 1, 0, 1, List.of(WireCatalogCodecTest.instance("n2", "a"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("instance of n2");
  }

  private static CatalogStateChunk.Builder chunk(String owner, int index, int count) {
    return CatalogStateChunk.newBuilder()
        .setOwner(owner)
        .setGeneration(1)
        .setSeq(1)
        .setChunkIndex(index)
        .setChunkCount(count);
  }

  private static void assertRefused(CatalogStateChunk.Builder chunk, String because) {
    byte[] bytes =
        CatalogFrame.newBuilder().setVersion(1).setStateChunk(chunk).build().toByteArray();
    assertThatThrownBy(() -> WireCatalogCodec.decode(bytes))
        .isInstanceOf(CatalogDecodeException.class)
        .hasMessageContaining(because);
  }
}
