package io.hivemind.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.catalog.ChunkAssembler.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Staging chunks of owners' states until each is whole (docs/protocol/catalogue.md). */
class ChunkAssemblerTest {

  private final ChunkAssembler assembler = new ChunkAssembler(10_000);

  /** Owner's state at (generation, seq) in {@code count} chunks of two instances each. */
  private static List<OwnerStateChunk> chunks(String owner, long generation, long seq, int count) {
    List<OwnerStateChunk> chunks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      chunks.add(
          new OwnerStateChunk(
              owner,
              generation,
              seq,
              i,
              count,
              List.of(
                  Instances.instance(owner, "web", seq + "-" + i + "a", 80),
                  Instances.instance(owner, "web", seq + "-" + i + "b", 80))));
    }
    return chunks;
  }

  private ChunkAssembler.Result offer(OwnerStateChunk chunk) {
    return assembler.offer(chunk, 100, null);
  }

  @Test
  void chunksInOrder_stageUntilTheLast_whichYieldsTheWholeState() {
    List<OwnerStateChunk> chunks = chunks("a", 1, 5, 3);
    assertThat(offer(chunks.get(0)).outcome()).isEqualTo(Outcome.STAGED);
    assertThat(offer(chunks.get(1)).outcome()).isEqualTo(Outcome.STAGED);
    assertThat(assembler.stagedBytes()).isEqualTo(200);
    ChunkAssembler.Result last = offer(chunks.get(2));
    assertThat(last.outcome()).isEqualTo(Outcome.COMPLETE);
    assertThat(last.state().version()).isEqualTo(new OwnerVersion(1, 5));
    assertThat(last.state().instances()).hasSize(6);
    assertThat(last.state().instances().get(5).id()).isEqualTo("5-2b");
    assertThat(assembler.stagedBytes()).isZero();
    assertThat(assembler.stagedOwners()).isZero();
  }

  @Test
  void singleChunk_completesAtOnce() {
    ChunkAssembler.Result result = offer(chunks("a", 1, 1, 1).get(0));
    assertThat(result.outcome()).isEqualTo(Outcome.COMPLETE);
    assertThat(result.state().instances()).hasSize(2);
  }

  @Test
  void outOfOrderOrRepeatedChunk_isIgnored_andTheStagingGoesOn() {
    List<OwnerStateChunk> chunks = chunks("a", 1, 5, 3);
    assertThat(offer(chunks.get(1)).outcome()).as("no chunk 0 yet").isEqualTo(Outcome.IGNORED);
    offer(chunks.get(0));
    assertThat(offer(chunks.get(2)).outcome()).as("skips 1").isEqualTo(Outcome.IGNORED);
    offer(chunks.get(1));
    assertThat(offer(chunks.get(1)).outcome()).as("repeated").isEqualTo(Outcome.IGNORED);
    assertThat(offer(chunks.get(2)).outcome()).isEqualTo(Outcome.COMPLETE);
  }

  @Test
  void chunkWithAnotherCountForTheSameVersion_isIgnored() {
    offer(chunks("a", 1, 5, 3).get(0));
    assertThat(offer(chunks("a", 1, 5, 4).get(1)).outcome()).isEqualTo(Outcome.IGNORED);
  }

  @Test
  void newerVersion_discardsTheStagedOne_andAnOlderOneIsIgnored() {
    List<OwnerStateChunk> old = chunks("a", 1, 5, 3);
    List<OwnerStateChunk> newer = chunks("a", 1, 6, 2);
    offer(old.get(0));
    offer(old.get(1));
    assertThat(offer(newer.get(0)).outcome()).isEqualTo(Outcome.STAGED);
    assertThat(assembler.stagedBytes()).isEqualTo(100);
    assertThat(offer(old.get(2)).outcome()).as("older than staged").isEqualTo(Outcome.IGNORED);
    ChunkAssembler.Result done = offer(newer.get(1));
    assertThat(done.outcome()).isEqualTo(Outcome.COMPLETE);
    assertThat(done.state().seq()).isEqualTo(6);
    assertThat(done.state().instances())
        .extracting(ServiceInstance::id)
        .allMatch(id -> id.startsWith("6-"));
  }

  @Test
  void newerGeneration_discardsTheStagedOne() {
    offer(chunks("a", 1, 9, 2).get(0));
    assertThat(offer(chunks("a", 2, 0, 2).get(1)).outcome()).isEqualTo(Outcome.IGNORED);
    assertThat(assembler.stagedOwners()).as("the older staging was discarded").isZero();
  }

  @Test
  void chunkNoNewerThanHeld_isIgnored_andDropsAStagingNoNewerEither() {
    List<OwnerStateChunk> chunks = chunks("a", 1, 5, 2);
    offer(chunks.get(0));
    ChunkAssembler.Result result = assembler.offer(chunks.get(1), 100, new OwnerVersion(1, 5));
    assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
    assertThat(assembler.stagedOwners()).isZero();
    assertThat(assembler.offer(chunks.get(0), 100, new OwnerVersion(2, 0)).outcome())
        .as("an older generation than held")
        .isEqualTo(Outcome.IGNORED);
  }

  @Test
  void chunk0Again_restartsTheStaging() {
    List<OwnerStateChunk> chunks = chunks("a", 1, 5, 2);
    offer(chunks.get(0));
    assertThat(offer(chunks.get(0)).outcome()).isEqualTo(Outcome.STAGED);
    assertThat(assembler.stagedBytes()).isEqualTo(100);
    assertThat(offer(chunks.get(1)).state().instances()).hasSize(4);
  }

  @Test
  void ownersStageSeparately() {
    List<OwnerStateChunk> a = chunks("a", 1, 5, 2);
    List<OwnerStateChunk> b = chunks("b", 1, 3, 2);
    offer(a.get(0));
    offer(b.get(0));
    assertThat(offer(a.get(1)).state().owner()).isEqualTo("a");
    assertThat(offer(b.get(1)).state().owner()).isEqualTo("b");
  }

  @Test
  void instanceIdRepeatedAcrossChunks_refusesTheStaging() {
    ServiceInstance same = Instances.instance("a", "web", "dup", 80);
    offer(new OwnerStateChunk("a", 1, 1, 0, 2, List.of(same)));
    ChunkAssembler.Result result = offer(new OwnerStateChunk("a", 1, 1, 1, 2, List.of(same)));
    assertThat(result.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(assembler.stagedOwners()).isZero();
    assertThat(assembler.stagedBytes()).isZero();
  }

  @Test
  void stateOverTheMemoryBound_isRefused_andFreesItsStaging() {
    List<OwnerStateChunk> chunks = chunks("a", 1, 1, 200);
    Outcome outcome = Outcome.STAGED;
    int offered = 0;
    while (outcome == Outcome.STAGED) {
      outcome = assembler.offer(chunks.get(offered++), 1_000, null).outcome();
    }
    assertThat(outcome).isEqualTo(Outcome.REFUSED);
    assertThat(offered).isEqualTo(11); // ten chunks of 1,000 bytes fill the 10,000-byte bound
    assertThat(assembler.stagedBytes()).isZero();
    assertThat(assembler.offer(chunks.get(offered), 1_000, null).outcome())
        .as("the rest of a refused state finds no staging")
        .isEqualTo(Outcome.IGNORED);
  }

  /**
   * Chunks of several versions of two owners, shuffled, repeated and dropped at random (seed 13):
   * every state completed is exactly one that was sent, never a mix of versions, and the staged
   * bytes never pass the bound.
   */
  @Test
  void randomlyReorderedChunks_completeOnlyStatesThatWereSent_withinTheBound() {
    final long seed = 13;
    SplittableRandom random = new SplittableRandom(seed);
    int completed = 0;
    for (int round = 0; round < 200; round++) {
      ChunkAssembler small = new ChunkAssembler(1_000);
      List<OwnerStateChunk> sent = new ArrayList<>();
      for (String owner : List.of("a", "b")) {
        for (long seq = 1; seq <= 3; seq++) {
          sent.addAll(chunks(owner, 1, seq, 1 + random.nextInt(5)));
        }
      }
      List<OwnerStateChunk> arriving = new ArrayList<>();
      for (OwnerStateChunk chunk : sent) {
        int copies = random.nextInt(10) == 0 ? 0 : 1 + (random.nextInt(8) == 0 ? 1 : 0);
        for (int i = 0; i < copies; i++) {
          int at = random.nextInt(10) < 7 ? arriving.size() : random.nextInt(arriving.size() + 1);
          arriving.add(at, chunk);
        }
      }
      for (OwnerStateChunk chunk : arriving) {
        ChunkAssembler.Result result = small.offer(chunk, 150, null);
        assertThat(small.stagedBytes()).as("seed %d round %d", seed, round).isBetween(0L, 1_000L);
        if (result.outcome() == Outcome.COMPLETE) {
          OwnerState state = result.state();
          completed++;
          List<ServiceInstance> expected = new ArrayList<>();
          for (OwnerStateChunk part : sent) {
            if (part.owner().equals(state.owner()) && part.version().equals(state.version())) {
              expected.addAll(part.instances());
            }
          }
          assertThat(state.instances()).as("seed %d round %d", seed, round).isEqualTo(expected);
        }
      }
    }
    assertThat(completed).as("seed %d", seed).isGreaterThan(200);
  }

  @Test
  void manyAbandonedStagings_areEvictedOldestFirst_soTheTotalStaysBounded() {
    for (int owner = 0; owner < 50; owner++) {
      assembler.offer(chunks("o" + owner, 1, 1, 2).get(0), 1_000, null);
      assertThat(assembler.stagedBytes()).isLessThanOrEqualTo(10_000);
    }
    assertThat(assembler.stagedOwners()).isEqualTo(10);
    assertThat(assembler.offer(chunks("o0", 1, 1, 2).get(1), 1_000, null).outcome())
        .as("the oldest was evicted")
        .isEqualTo(Outcome.IGNORED);
    assertThat(assembler.offer(chunks("o49", 1, 1, 2).get(1), 1_000, null).outcome())
        .isEqualTo(Outcome.COMPLETE);
  }
}
