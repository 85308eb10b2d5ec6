package io.hivemind.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Lines written and left out, with time moved by hand (nanoseconds passed in). */
class RateLimitedLogTest {

  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  private final Logger logger = (Logger) LoggerFactory.getLogger(RateLimitedLogTest.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final RateLimitedLog log = new RateLimitedLog(logger, Duration.ofSeconds(10));

  RateLimitedLogTest() {
    lines.start();
    logger.addAppender(lines);
    logger.setAdditive(false); // the lines are the test's to read, not the console's
  }

  @AfterEach
  void detach() {
    logger.detachAppender(lines);
    logger.setAdditive(true);
  }

  @Test
  void firstLine_writtenAtOnce() {
    assertThat(log.warn(5 * SECOND, "accept", "cannot accept on {}: {}", "port 1", "EMFILE"))
        .isTrue();

    assertThat(messages()).containsExactly("cannot accept on port 1: EMFILE");
  }

  @Test
  void repeatsWithinTheInterval_suppressedThenCountedOnTheNextLine() {
    log.warn(0, "accept", "failed {}", 1);
    for (int i = 2; i < 1000; i++) {
      assertThat(log.warn(i * SECOND / 100, "accept", "failed {}", i)).isFalse();
    }

    assertThat(log.warn(10 * SECOND, "accept", "failed {}", 1001)).isTrue();

    assertThat(messages()).containsExactly("failed 1", "failed 1001 (998 more suppressed)");
  }

  @Test
  void afterAQuietInterval_noCountIsAdded() {
    log.warn(0, "accept", "failed");
    log.warn(11 * SECOND, "accept", "failed");

    assertThat(messages()).containsExactly("failed", "failed");
  }

  @Test
  void keys_limitedIndependently() {
    log.warn(0, "accept", "a");
    log.warn(SECOND, "refused", "b");
    log.warn(2 * SECOND, "accept", "a");

    assertThat(messages()).containsExactly("a", "b");
  }

  @Test
  void trailingThrowable_keptAsTheExceptionAfterTheCount() {
    IOException cause = new IOException("Too many open files");
    log.warn(0, "k", "failed on {}", "x", cause);
    log.warn(SECOND, "k", "failed on {}", "x", cause);

    log.warn(10 * SECOND, "k", "failed on {}", "x", cause);

    List<ILoggingEvent> events = lines.list;
    assertThat(events.get(1).getFormattedMessage()).isEqualTo("failed on x (1 more suppressed)");
    assertThat(events.get(1).getThrowableProxy().getMessage()).isEqualTo("Too many open files");
  }

  @Test
  void tickerThatWraps_stillMeasuresTheInterval() {
    log.warn(Long.MAX_VALUE - SECOND, "k", "a");

    assertThat(log.warn(Long.MIN_VALUE + SECOND, "k", "b")).isFalse();
    assertThat(log.warn(Long.MIN_VALUE + 9 * SECOND, "k", "c")).isTrue();
  }

  @Test
  void keysBeyondTheBound_shareOneWindow() {
    for (int i = 0; i < RateLimitedLog.MAX_KEYS; i++) {
      log.warn(0, "key-" + i, "line {}", i);
    }

    assertThat(log.warn(0, "one-too-many", "x")).isTrue();
    assertThat(log.warn(0, "and-another", "y")).isFalse();
  }

  @Test
  void nonPositiveInterval_rejectedNamingIt() {
    assertThatThrownBy(() -> new RateLimitedLog(logger, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interval must be positive, got PT0S");
  }

  private List<String> messages() {
    return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
