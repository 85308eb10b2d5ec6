package io.hivemind.server.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlPlaneSlotTest {

  private final ControlPlaneSlot slot = new ControlPlaneSlot("no control plane yet");

  @Test
  void detached_isDegradedWithAnEmptyViewAndRefusesWrites() {
    assertThat(slot.status().degraded()).isTrue();
    assertThat(slot.view().index()).isZero();
    assertThat(slot.view().members()).isEmpty();
    assertThatThrownBy(() -> slot.submit(new ControlCommand.Tick()).get())
        .cause()
        .isInstanceOf(NoQuorumException.class)
        .hasMessage("no control plane yet");
    assertThat(slot.awaitIndexAbove(0)).isNotDone();
  }

  @Test
  void attached_delegatesAndHandsOverEarlierListenersWithTheCurrentView() throws Exception {
    List<ControlView> seen = new ArrayList<>();
    slot.addListener(seen::add);
    RecordingControlPlane plane = new RecordingControlPlane();

    slot.attach(plane);
    slot.submit(new ControlCommand.Tick()).get();

    assertThat(seen).containsExactly(RecordingControlPlane.VIEW);
    assertThat(plane.listeners).hasSize(1);
    assertThat(plane.submitted).hasSize(1);
    assertThat(slot.status().degraded()).isFalse();
    assertThat(slot.view()).isSameAs(RecordingControlPlane.VIEW);
  }

  @Test
  void attach_twice_isRefused() {
    slot.attach(new RecordingControlPlane());

    assertThatThrownBy(() -> slot.attach(new RecordingControlPlane()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void close_closesTheAttachedPlane() {
    RecordingControlPlane plane = new RecordingControlPlane();
    slot.attach(plane);

    slot.close();

    assertThat(plane.closed).isTrue();
  }
}
