package io.hivemind.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InboundLimitTest {

  @Test
  void tryAcquire_upToTheMaximum_thenRefuses() {
    InboundLimit limit = new InboundLimit(2);

    assertThat(limit.tryAcquire()).isTrue();
    assertThat(limit.tryAcquire()).isTrue();
    assertThat(limit.tryAcquire()).isFalse();
  }

  @Test
  void release_makesRoomForOneMore() {
    InboundLimit limit = new InboundLimit(1);
    limit.tryAcquire();

    limit.release();

    assertThat(limit.tryAcquire()).isTrue();
    assertThat(limit.tryAcquire()).isFalse();
  }
}
