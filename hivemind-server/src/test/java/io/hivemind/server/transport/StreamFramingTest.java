package io.hivemind.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Which stream errors count as which drop; the framing itself is exercised by the handlers. */
class StreamFramingTest {

  private final TransportStats stats = new TransportStats();

  @Test
  void countFramingError_tooLong_isOversized() {
    assertThat(StreamFraming.countFramingError(new TooLongFrameException("x"), stats)).isTrue();

    assertThat(stats.droppedOversized()).isEqualTo(1);
    assertThat(stats.droppedMalformed()).isZero();
  }

  @Test
  void countFramingError_corrupted_isMalformed() {
    assertThat(StreamFraming.countFramingError(new CorruptedFrameException("x"), stats)).isTrue();

    assertThat(stats.droppedMalformed()).isEqualTo(1);
    assertThat(stats.droppedOversized()).isZero();
  }

  @Test
  void countFramingError_timeoutOrSocketError_isNoFramingError() {
    assertThat(StreamFraming.countFramingError(ReadTimeoutException.INSTANCE, stats)).isFalse();
    assertThat(StreamFraming.countFramingError(new IOException("reset"), stats)).isFalse();

    assertThat(stats.droppedMalformed()).isZero();
    assertThat(stats.droppedOversized()).isZero();
  }
}
