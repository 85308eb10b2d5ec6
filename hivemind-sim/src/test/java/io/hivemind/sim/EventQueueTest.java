package io.hivemind.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventQueueTest {

  @Test
  void runUntil_eventsAtEqualTimes_runInSchedulingOrder() {
    EventQueue queue = new EventQueue();
    List<String> order = new ArrayList<>();
    queue.schedule(20, () -> order.add("c"));
    queue.schedule(10, () -> order.add("a"));
    queue.schedule(10, () -> order.add("b"));
    queue.schedule(30, () -> order.add("late"));

    queue.runUntil(20);

    assertThat(order).containsExactly("a", "b", "c");
    assertThat(queue.now()).isEqualTo(20);
    assertThat(queue.pending()).isEqualTo(1);
  }

  @Test
  void runUntil_eventSchedulesAnother_runsItInTheSameCall() {
    EventQueue queue = new EventQueue();
    List<Long> times = new ArrayList<>();
    queue.schedule(5, () -> queue.after(3, () -> times.add(queue.now())));

    queue.runUntil(100);

    assertThat(times).containsExactly(8L);
    assertThat(queue.now()).isEqualTo(100);
  }

  @Test
  void runUntil_conditionMet_stopsAtThatEvent() {
    EventQueue queue = new EventQueue();
    int[] count = {0};
    for (int t = 1; t <= 10; t++) {
      queue.schedule(t, () -> count[0]++);
    }

    boolean met = queue.runUntil(() -> count[0] == 4, 100);

    assertThat(met).isTrue();
    assertThat(queue.now()).isEqualTo(4);
    assertThat(queue.executed()).isEqualTo(4);
  }

  @Test
  void schedule_inThePast_isRefused() {
    EventQueue queue = new EventQueue();
    queue.runUntil(50);

    assertThatThrownBy(() -> queue.schedule(49, () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("49");
  }
}
