package io.hivemind.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A listener's handler when accept fails (the process out of file descriptors), on an embedded
 * channel standing in for the listening socket, its clock moved by hand.
 */
class AcceptBackoffTest {

  private static final IOException EMFILE = new IOException("Too many open files");

  private final Logger logger = (Logger) LoggerFactory.getLogger(AcceptBackoff.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final AtomicInteger errors = new AtomicInteger();
  private final MockTicker clock = Ticker.newMockTicker();
  private EmbeddedChannel listener;

  AcceptBackoffTest() {
    lines.start();
    logger.addAppender(lines);
    logger.setAdditive(false); // the lines are the test's to read, not the console's
  }

  @AfterEach
  void detach() {
    logger.detachAppender(lines);
    logger.setAdditive(true);
    listener.finishAndReleaseAll();
  }

  /** Each test its own listener name: the handler's log windows are per listener. */
  private void listen(String name) {
    listener =
        EmbeddedChannel.builder()
            .ticker(clock)
            .handlers(new AcceptBackoff(name, errors::incrementAndGet))
            .build();
  }

  @Test
  void failedAccept_countedPausedAndNotPassedOn() {
    listen("counted");

    listener.pipeline().fireExceptionCaught(EMFILE);

    assertThat(errors).hasValue(1);
    assertThat(listener.config().isAutoRead()).isFalse();
    listener.checkException(); // nothing reached the end of the pipeline (Netty logs it there)
  }

  @Test
  void pause_endsAfterASecond() {
    listen("resumes");
    listener.pipeline().fireExceptionCaught(EMFILE);

    advance(AcceptBackoff.PAUSE.minusMillis(1));
    assertThat(listener.config().isAutoRead()).isFalse();

    advance(Duration.ofMillis(1));
    assertThat(listener.config().isAutoRead()).isTrue();
  }

  /** Regression: one stack trace per listener per second while descriptors were short. */
  @Test
  void failuresForAMinute_oneLineAnIntervalWithoutAStackTrace() {
    listen("logged");

    for (int second = 0; second < 60; second++) {
      listener.pipeline().fireExceptionCaught(EMFILE);
      advance(Duration.ofSeconds(1));
    }

    assertThat(errors).hasValue(60);
    assertThat(lines.list).hasSize(6);
    assertThat(lines.list.get(0).getFormattedMessage())
        .isEqualTo(
            "logged on embedded cannot accept connections: java.io.IOException: Too many open"
                + " files; accepting again in 1000 ms");
    assertThat(lines.list.get(1).getFormattedMessage()).endsWith("(9 more suppressed)");
    assertThat(lines.list).allMatch(line -> line.getThrowableProxy() == null);
  }

  private void advance(Duration duration) {
    clock.advance(duration.toNanos(), TimeUnit.NANOSECONDS);
    listener.runPendingTasks();
  }
}
