package io.hivemind.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlFieldRules;
import io.hivemind.core.control.RefusalCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CommandBatcherTest {

  /** What the batcher proposed, each answered when the test says. */
  private final List<ControlCommand> proposed = new ArrayList<>();

  private final List<CompletableFuture<ApplyResult>> answers = new ArrayList<>();
  private final CommandBatcher batcher =
      new CommandBatcher(
          2,
          command -> {
            proposed.add(command);
            CompletableFuture<ApplyResult> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
          });

  private static ControlCommand put(int i) {
    return new ControlCommand.KvSet("k" + i, new byte[] {(byte) i}, 0, -1);
  }

  private static ApplyResult applied(long index) {
    return new ApplyResult.Applied(index, 1, List.of());
  }

  @Test
  void aLoneCommand_goesOutAsItself() {
    CompletableFuture<ApplyResult> result = batcher.submit(put(1));
    answers.get(0).complete(applied(5));

    assertThat(proposed).containsExactly(put(1));
    assertThat(result).isCompletedWithValue(applied(5));
  }

  @Test
  void commandsArrivingWhileTwoEntriesAreInFlight_goOutAsOneBatch_andEachGetsItsResult() {
    CompletableFuture<ApplyResult> first = batcher.submit(put(1));
    CompletableFuture<ApplyResult> second = batcher.submit(put(2));
    List<CompletableFuture<ApplyResult>> waiting = new ArrayList<>();
    for (int i = 3; i <= 10; i++) {
      waiting.add(batcher.submit(put(i)));
    }
    assertThat(proposed).hasSize(2); // two in flight, eight waiting

    answers.get(0).complete(applied(5));

    assertThat(first).isCompletedWithValue(applied(5));
    assertThat(proposed).hasSize(3);
    ControlCommand.Batch batch = (ControlCommand.Batch) proposed.get(2);
    assertThat(batch.commands()).hasSize(8).first().isEqualTo(put(3));
    List<ApplyResult> results = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      results.add(
          i == 4
              ? new ApplyResult.Refused(7, io.hivemind.core.control.RefusalCode.CAS_MISMATCH, "x")
              : applied(7));
    }
    answers.get(2).complete(new ApplyResult.Batched(7, results));
    answers.get(1).complete(applied(6));

    assertThat(second).isCompletedWithValue(applied(6));
    for (int i = 0; i < 8; i++) {
      assertThat(waiting.get(i)).isCompletedWithValue(results.get(i));
    }
  }

  @Test
  void byDefault_oneEntryIsInFlight_andWhatArrivesMeanwhileGoesOutAsOneBatchWhenItIsAnswered() {
    CommandBatcher single =
        new CommandBatcher(
            command -> {
              proposed.add(command);
              CompletableFuture<ApplyResult> answer = new CompletableFuture<>();
              answers.add(answer);
              return answer;
            });
    CompletableFuture<ApplyResult> first = single.submit(put(1));
    CompletableFuture<ApplyResult> second = single.submit(put(2));
    CompletableFuture<ApplyResult> third = single.submit(put(3));
    assertThat(proposed).containsExactly(put(1)); // sent at once, nothing held back

    answers.get(0).complete(applied(5));

    assertThat(first).isCompletedWithValue(applied(5));
    assertThat(proposed).hasSize(2);
    assertThat(((ControlCommand.Batch) proposed.get(1)).commands()).containsExactly(put(2), put(3));
    answers.get(1).complete(new ApplyResult.Batched(6, List.of(applied(6), applied(6))));
    assertThat(second).isCompletedWithValue(applied(6));
    assertThat(third).isCompletedWithValue(applied(6));
  }

  @Test
  void aNonPositiveInFlightLimit_isRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new CommandBatcher(0, command -> new CompletableFuture<>()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }

  @Test
  void aFailedEntry_failsEveryCommandInIt_andTheNextGoOut() {
    batcher.submit(put(1));
    batcher.submit(put(2));
    CompletableFuture<ApplyResult> third = batcher.submit(put(3));
    CompletableFuture<ApplyResult> fourth = batcher.submit(put(4));

    answers.get(0).completeExceptionally(new IllegalStateException("no quorum"));
    answers.get(2).completeExceptionally(new IllegalStateException("no quorum"));

    assertThat(third).isCompletedExceptionally();
    assertThat(fourth).isCompletedExceptionally();
  }

  @Test
  void aBatch_holdsAtMostMaxBatchCommands_andItsBytesBudget() {
    batcher.submit(put(0));
    batcher.submit(put(0));
    for (int i = 0; i < ControlFieldRules.MAX_BATCH + 10; i++) {
      batcher.submit(put(i));
    }
    answers.get(0).complete(applied(1));
    assertThat(((ControlCommand.Batch) proposed.get(2)).commands())
        .hasSize(ControlFieldRules.MAX_BATCH);

    CommandBatcher big =
        new CommandBatcher(
            2,
            command -> {
              proposed.add(command);
              return new CompletableFuture<>();
            });
    proposed.clear();
    byte[] value = new byte[300 * 1024];
    for (int i = 0; i < 8; i++) {
      big.submit(new ControlCommand.KvSet("big" + i, value, 0, -1));
    }
    assertThat(proposed).hasSize(2); // two single entries in flight; the rest wait
  }

  /** A registration of about 400 KB: 32 checks with the longest texts. */
  private static ControlCommand largeRegistration(int i) {
    List<io.hivemind.core.control.ExternalCheck> checks = new ArrayList<>();
    String text = "x".repeat(4096);
    for (int c = 0; c < 32; c++) {
      checks.add(
          new io.hivemind.core.control.ExternalCheck(
              "c" + c, text, io.hivemind.core.catalog.HealthStatus.PASSING, text, text, ""));
    }
    return new ControlCommand.CatalogRegister(
        new io.hivemind.core.control.ExternalNode(
            "n" + i, "10.0.0.1", java.util.Map.of(), java.util.Map.of()),
        java.util.Optional.empty(),
        checks,
        false);
  }

  @Test
  void largeCatalogRegistrations_countAtTheirEncodedSize() {
    batcher.submit(put(1));
    batcher.submit(put(2));
    for (int i = 0; i < 8; i++) {
      batcher.submit(largeRegistration(i));
    }

    answers.get(0).complete(applied(5));

    // Counted at 512 bytes each, all eight (3 MB) would go out in one entry above the 2 MiB limit.
    ControlCommand next = proposed.get(2);
    int count = next instanceof ControlCommand.Batch batch ? batch.commands().size() : 1;
    assertThat(count).isBetween(1, 3);
  }

  @Test
  void largeLocks_countTheirValues() {
    byte[] value = new byte[300 * 1024];
    String session = "11111111-1111-1111-1111-111111111111";
    batcher.submit(put(1));
    batcher.submit(put(2));
    for (int i = 0; i < 8; i++) {
      batcher.submit(new ControlCommand.KvLock("lock" + i, value, 0, session, true));
    }
    answers.get(0).complete(applied(5));
    // Counted at 512 bytes each, all eight (2.4 MB) would go out in one entry above the limit.
    assertThat(((ControlCommand.Batch) proposed.get(2)).commands()).hasSize(3);
  }

  @Test
  void aTxnWhoseReadsDidNotFitTheBatchsAnswer_goesOutAgainAlone_beforeNewerCommands() {
    ControlCommand.KvTxn reads =
        new ControlCommand.KvTxn(
            List.of(
                io.hivemind.core.control.KvOp.of(io.hivemind.core.control.KvOp.Verb.GET_TREE, "")));
    batcher.submit(put(1));
    batcher.submit(put(2));
    CompletableFuture<ApplyResult> read = batcher.submit(reads);
    CompletableFuture<ApplyResult> write = batcher.submit(put(3));
    answers.get(0).complete(applied(5));
    assertThat(((ControlCommand.Batch) proposed.get(2)).commands()).containsExactly(reads, put(3));
    batcher.submit(put(4));

    answers
        .get(2)
        .complete(
            new ApplyResult.Batched(
                7,
                List.of(
                    new ApplyResult.Refused(7, RefusalCode.RESULTS_FULL, "no room"), applied(7))));

    assertThat(write).isCompletedWithValue(applied(7));
    assertThat(read).isNotDone();
    assertThat(proposed.get(3)).as("alone, before put(4)").isEqualTo(reads);
    answers.get(3).complete(applied(8));
    assertThat(read).isCompletedWithValue(applied(8));
  }
}
