package io.hivemind.server.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class ManualLoopTest {

  private final ManualLoop loop = new ManualLoop();
  private final List<String> ran = new ArrayList<>();

  @Test
  void execute_neverInline_runsAtRunPendingInQueueOrder() {
    loop.execute(() -> ran.add("a"));
    loop.execute(() -> ran.add("b"));

    assertThat(ran).isEmpty();
    loop.runPending();
    assertThat(ran).containsExactly("a", "b");
    assertThat(loop.nowMillis()).isZero();
  }

  @Test
  void advance_runsDueTasksInTimeOrder_clockAtEachTasksTime() {
    List<Long> at = new ArrayList<>();
    loop.schedule(() -> at.add(loop.nowMillis()), 30);
    loop.schedule(() -> at.add(loop.nowMillis()), 10);
    loop.schedule(() -> at.add(loop.nowMillis()), 100);

    loop.advance(50);

    assertThat(at).containsExactly(10L, 30L);
    assertThat(loop.nowMillis()).isEqualTo(50);
    assertThat(loop.dueTimes()).containsExactly(100L);
  }

  @Test
  void tasksQueuedByATask_forNow_runInTheSameAdvance() {
    loop.execute(() -> loop.execute(() -> ran.add("nested")));

    loop.runPending();

    assertThat(ran).containsExactly("nested");
  }

  @Test
  void cancel_keepsTheTaskFromRunning() {
    DriverLoop.Scheduled scheduled = loop.schedule(() -> ran.add("cancelled"), 5);

    scheduled.cancel();
    loop.advance(10);

    assertThat(ran).isEmpty();
    assertThat(loop.queued()).isZero();
  }

  @Test
  void advanceUntil_stopsWhenTheConditionHolds_orFailsAfterTheBound() {
    loop.schedule(() -> ran.add("x"), 20);
    loop.schedule(() -> ran.add("y"), 40);

    loop.advanceUntil(() -> ran.contains("x"), 1_000);
    assertThat(loop.nowMillis()).isEqualTo(20);

    assertThatThrownBy(() -> loop.advanceUntil(() -> ran.contains("z"), 100))
        .isInstanceOf(AssertionError.class);
    assertThat(loop.nowMillis()).isEqualTo(120);
  }

  @Test
  void inLoop_trueOnTheTestThreadOnly() throws InterruptedException {
    boolean[] other = {true};
    Thread thread = new Thread(() -> other[0] = loop.inLoop());
    thread.start();
    thread.join();

    assertThat(loop.inLoop()).isTrue();
    assertThat(other[0]).isFalse();
  }

  @Test
  void shutDown_rejectsLaterTasks() {
    loop.shutDown();

    assertThatThrownBy(() -> loop.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
  }
}
