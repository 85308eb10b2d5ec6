package io.hivemind.server.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.control.ControlSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The feed's fan-out: window, snapshot, live entries, bad subscribers. */
class FeedHubTest {

  /** Records what a subscriber was given: "s<index>" for a snapshot, the index for an entry. */
  private static final class Recorder implements FeedSink {
    final List<String> got = new ArrayList<>();
    boolean fail;

    @Override
    public void snapshot(long index, ControlSnapshot snapshot, byte[] snapshotBytes) {
      got.add("s" + index);
    }

    @Override
    public void entry(long index, byte[] entryBytes) {
      if (fail) {
        throw new IllegalStateException("broken sink");
      }
      got.add(Long.toString(index));
    }
  }

  @Test
  void follow_withinTheWindow_replaysThenGetsLiveEntries() {
    TestLog log = new TestLog(100, 100);
    log.putKeys(0, 3);
    Recorder recorder = new Recorder();

    log.hub.follow(1, recorder);
    log.putKeys(3, 2);

    assertThat(recorder.got).containsExactly("2", "3", "4", "5");
  }

  @Test
  void follow_belowTheWindow_getsTheSnapshotThenTheRest() {
    TestLog log = new TestLog(4, 4);
    log.putKeys(0, 10); // snapshots at 4 and 8; window trimmed to 4 entries, never above 8
    Recorder recorder = new Recorder();

    log.hub.follow(0, recorder);

    assertThat(log.hub.firstRetainedIndex()).isEqualTo(7);
    assertThat(recorder.got).containsExactly("s8", "9", "10");
  }

  @Test
  void window_isBoundedOnceSnapshotsAreTaken() {
    TestLog log = new TestLog(10, 10);
    log.putKeys(0, 1_000);
    assertThat(log.hub.lastIndex() - log.hub.firstRetainedIndex() + 1).isLessThanOrEqualTo(10);
    assertThat(log.hub.entriesSinceSnapshot()).isLessThan(10);
  }

  @Test
  void follow_aheadOfTheLog_getsOnlyWhatComesAfterItsIndex() {
    TestLog log = new TestLog(100, 100);
    log.putKeys(0, 2);
    Recorder recorder = new Recorder();

    log.hub.follow(4, recorder);
    log.putKeys(2, 4);

    assertThat(recorder.got).containsExactly("5", "6");
  }

  @Test
  void snapshotAboveTheLog_restartsTheWindowAndCatchesSubscribersUp() {
    FeedHub hub = new FeedHub(10);
    hub.publish(1, new byte[] {1});
    Recorder recorder = new Recorder();
    hub.follow(1, recorder);

    TestLog installed = new TestLog(10, 10);
    installed.putKeys(0, 5);
    hub.snapshotTaken(5, installed.state.snapshot());
    hub.publish(6, new byte[] {6});

    assertThat(recorder.got).containsExactly("s5", "6");
    assertThat(hub.firstRetainedIndex()).isEqualTo(6);
  }

  @Test
  void publish_notTheNextIndex_isRefused() {
    FeedHub hub = new FeedHub(10);
    hub.publish(1, new byte[0]);
    assertThatThrownBy(() -> hub.publish(3, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not the next one (2)");
  }

  @Test
  void failingSink_isDroppedAndOthersCarryOn() {
    FeedHub hub = new FeedHub(10);
    Recorder broken = new Recorder();
    Recorder healthy = new Recorder();
    hub.follow(0, broken);
    hub.follow(0, healthy);
    broken.fail = true;

    hub.publish(1, new byte[0]);
    hub.publish(2, new byte[0]);

    assertThat(healthy.got).containsExactly("1", "2");
    assertThat(hub.subscribers()).isEqualTo(1);
  }

  @Test
  void closedSubscription_getsNothingMore() {
    FeedHub hub = new FeedHub(10);
    Recorder recorder = new Recorder();
    Subscription subscription = hub.follow(0, recorder);
    hub.publish(1, new byte[0]);
    subscription.close();
    hub.publish(2, new byte[0]);
    assertThat(recorder.got).containsExactly("1");
  }
}
