package io.hivemind.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.control.ControlView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ViewPublisherTest {

  private static ControlView at(long index) {
    return new ControlView(
        index,
        0,
        "",
        "",
        List.of(),
        Collections.unmodifiableNavigableMap(new TreeMap<>()),
        List.of(),
        0);
  }

  @Test
  void awaitIndexAbove_alreadyPassed_completesAtOnce() {
    ViewPublisher publisher = new ViewPublisher(at(5));

    assertThat(publisher.awaitIndexAbove(4)).isCompletedWithValueMatching(v -> v.index() == 5);
  }

  @Test
  void awaitIndexAbove_completesWithTheFirstViewAboveIt_andNotBefore() {
    ViewPublisher publisher = new ViewPublisher(at(0));
    CompletableFuture<ControlView> waiting = publisher.awaitIndexAbove(3);

    publisher.publish(at(3));
    assertThat(waiting).isNotDone();
    publisher.publish(at(7));

    assertThat(waiting).isCompletedWithValueMatching(v -> v.index() == 7);
  }

  @Test
  void listeners_seeEveryView_andOneThatThrowsDoesNotStopTheOthers() {
    ViewPublisher publisher = new ViewPublisher(at(0));
    List<Long> seen = new ArrayList<>();
    publisher.addListener(
        v -> {
          throw new IllegalStateException("broken listener");
        });
    publisher.addListener(v -> seen.add(v.index()));

    publisher.publish(at(1));
    publisher.publish(at(2));

    assertThat(seen).containsExactly(1L, 2L);
    assertThat(publisher.current().index()).isEqualTo(2);
  }

  @Test
  void close_failsTheWaiters() {
    ViewPublisher publisher = new ViewPublisher(at(0));
    CompletableFuture<ControlView> waiting = publisher.awaitIndexAbove(10);

    publisher.close(new IllegalStateException("closed"));

    assertThat(waiting).isCompletedExceptionally();
  }
}
