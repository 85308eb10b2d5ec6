package io.hivemind.core.membership;

import static io.hivemind.core.membership.WireCodec.messageFieldSize;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BroadcastQueueTest {

  private static final int PLENTY = 65_000;

  private final BroadcastQueue queue = new BroadcastQueue(1_000);

  private static EncodedMessage msg(String text) {
    return new EncodedMessage(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A message whose field (tag, length, body) takes exactly {@code wireSize} bytes. */
  private static EncodedMessage sized(char fill, int wireSize) {
    int body = wireSize - 2;
    EncodedMessage message = msg(String.valueOf(fill).repeat(body));
    assertThat(message.fieldSize()).isEqualTo(wireSize);
    return message;
  }

  @Test
  void take_freshUpdates_newestFirst() {
    queue.queue("a", msg("update-a"));
    queue.queue("b", msg("update-b"));
    queue.queue("c", msg("update-c"));

    assertThat(queue.take(PLENTY, 10))
        .containsExactly(msg("update-c"), msg("update-b"), msg("update-a"));
  }

  @Test
  void take_mixedSendCounts_fewestSentFirstThenNewest() {
    queue.queue("a", msg("update-a"));
    queue.queue("b", msg("update-b"));
    queue.take(PLENTY, 10);
    queue.queue("c", msg("update-c"));
    queue.queue("d", msg("update-d"));

    assertThat(queue.take(PLENTY, 10))
        .containsExactly(msg("update-d"), msg("update-c"), msg("update-b"), msg("update-a"));
  }

  @Test
  void queue_sameKey_replacesOlderAndRunsItsOnDone() {
    List<String> done = new ArrayList<>();
    queue.queue("a", msg("old"), () -> done.add("old"));

    queue.queue("a", msg("new"), () -> done.add("new"));

    assertThat(done).containsExactly("old");
    assertThat(queue.size()).isEqualTo(1);
    assertThat(queue.take(PLENTY, 10)).containsExactly(msg("new"));
  }

  @Test
  void queue_replacement_resetsSendCount() {
    queue.queue("a", msg("update-a1"));
    queue.queue("b", msg("update-b"));
    queue.take(PLENTY, 10);

    queue.queue("a", msg("update-a2"));

    assertThat(queue.take(PLENTY, 10).get(0)).isEqualTo(msg("update-a2"));
  }

  @Test
  void take_retransmitLimitReached_dropsUpdateAndRunsOnDone() {
    List<String> done = new ArrayList<>();
    queue.queue("a", msg("update-a"), () -> done.add("a"));

    for (int i = 0; i < 3; i++) {
      assertThat(done).isEmpty();
      assertThat(queue.take(PLENTY, 3)).containsExactly(msg("update-a"));
    }

    assertThat(done).containsExactly("a");
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.take(PLENTY, 3)).isEmpty();
  }

  @Test
  void take_budgetExactlyTotal_takesEverything() {
    queue.queue("a", sized('a', 100));
    queue.queue("b", sized('b', 40));
    queue.queue("c", sized('c', 20));

    assertThat(queue.take(160, 10)).hasSize(3);
  }

  @Test
  void take_budgetOneShort_skipsWhatDoesNotFitButKeepsIt() {
    queue.queue("big", sized('a', 100));
    queue.queue("mid", sized('b', 40));
    queue.queue("small", sized('c', 20));

    // Newest first: small (20) and mid (40) fit in 159, big (100) needs 100 of the 99 left.
    List<EncodedMessage> taken = queue.take(159, 10);

    assertThat(taken).containsExactly(sized('c', 20), sized('b', 40));
    assertThat(queue.size()).isEqualTo(3);
    assertThat(queue.take(100, 10)).containsExactly(sized('a', 100));
  }

  @Test
  void take_neverExceedsBudget() {
    for (int i = 0; i < 200; i++) {
      queue.queue("k" + i, msg("x".repeat(10 + (i * 37) % 300)));
    }
    for (int budget : new int[] {1_400, 512, 1_000, 77}) {
      int used = 0;
      for (EncodedMessage message : queue.take(budget, 1_000)) {
        used += message.fieldSize();
      }
      assertThat(used).as("budget %d", budget).isLessThanOrEqualTo(budget);
    }
  }

  @Test
  void take_nothingFits_returnsEmptyAndCountsNoSend() {
    List<String> done = new ArrayList<>();
    queue.queue("a", sized('a', 100), () -> done.add("a"));

    assertThat(queue.take(99, 1)).isEmpty();
    assertThat(done).isEmpty();
    assertThat(queue.take(100, 1)).hasSize(1);
    assertThat(done).containsExactly("a");
  }

  @Test
  void queue_overMaxQueued_prunesOldestAmongFresh() {
    BroadcastQueue small = new BroadcastQueue(16);
    for (int i = 0; i < 17; i++) {
      small.queue("k" + i, msg("update-" + i));
    }

    assertThat(small.size()).isEqualTo(16);
    assertThat(small.take(PLENTY, 10)).hasSize(16).doesNotContain(msg("update-0"));
  }

  @Test
  void queue_overMaxQueued_prunesMostSentFirst() {
    BroadcastQueue small = new BroadcastQueue(16);
    small.queue("heard", msg("heard-by-most"));
    small.take(PLENTY, 10);
    for (int i = 0; i < 16; i++) {
      small.queue("k" + i, msg("update-" + i));
    }

    assertThat(small.size()).isEqualTo(16);
    assertThat(small.take(PLENTY, 10)).doesNotContain(msg("heard-by-most"));
  }

  @Test
  void queue_overMaxQueued_keepsUpdateThatAwaitsCompletion() {
    // onDone runs after retransmitLimit sends or a replacement (class doc); the leave of the local
    // node waits on it, so pruning must neither drop that update nor run its onDone.
    BroadcastQueue small = new BroadcastQueue(16);
    List<String> done = new ArrayList<>();
    small.queue("self", msg("left-self"), () -> done.add("self"));
    small.take(PLENTY, 10);
    for (int i = 0; i < 16; i++) {
      small.queue("k" + i, msg("update-" + i));
    }

    assertThat(done).isEmpty();
    assertThat(small.size()).isEqualTo(16);
    assertThat(small.take(PLENTY, 10)).contains(msg("left-self"));
  }

  @Test
  void messageFieldSize_countsTagLengthAndBody() {
    assertThat(messageFieldSize(0)).isEqualTo(2);
    assertThat(messageFieldSize(127)).isEqualTo(129);
    assertThat(messageFieldSize(128)).isEqualTo(131);
    assertThat(messageFieldSize(16_384)).isEqualTo(16_388);
  }
}
