package io.hivemind.cli;

import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * One readable line per event, the same as Logback's pattern {@code
 * %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24} %msg%n} followed by the stack
 * trace of an exception, if any:
 *
 * <pre>2026-11-22T08:02:52.875Z INFO  [main] i.h.server.http.HttpApi HTTP API listening on ...
 * </pre>
 *
 * <p>Written out rather than a {@code PatternLayout} because the pattern machinery (its parser and
 * a converter per keyword, 66 of them registered as lambdas) is about 150 classes of an agent whose
 * whole footprint target is 64 MB (docs/benchmarks.md, "Agent footprint").
 *
 * <p>Thread-safety: called under the appender's lock, but keeps no state besides the immutable
 * abbreviator and zone.
 */
final class TextLogLayout extends LayoutBase<ILoggingEvent> {

  /** Logger names longer than this lose leading package letters, as {@code %logger{24}} does. */
  static final int LOGGER_NAME_LENGTH = 24;

  private final TargetLengthBasedClassNameAbbreviator abbreviator =
      new TargetLengthBasedClassNameAbbreviator(LOGGER_NAME_LENGTH);

  private final ZoneId zone = ZoneId.systemDefault();

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    appendTimestamp(
        line, ZonedDateTime.ofInstant(Instant.ofEpochMilli(event.getTimeStamp()), zone));
    line.append(' ');
    String level = event.getLevel().toString();
    line.append(level);
    for (int i = level.length(); i < 5; i++) {
      line.append(' ');
    }
    line.append(" [").append(event.getThreadName()).append("] ");
    line.append(abbreviator.abbreviate(event.getLoggerName())).append(' ');
    line.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy throwable = event.getThrowableProxy();
    if (throwable != null) {
      line.append(ThrowableProxyUtil.asString(throwable));
    }
    return line.toString();
  }

  /** {@code yyyy-MM-dd'T'HH:mm:ss.SSSXXX}: the offset is {@code Z} for UTC, else {@code +hh:mm}. */
  static void appendTimestamp(StringBuilder line, ZonedDateTime time) {
    line.append(time.getYear()).append('-');
    twoDigits(line, time.getMonthValue()).append('-');
    twoDigits(line, time.getDayOfMonth()).append('T');
    twoDigits(line, time.getHour()).append(':');
    twoDigits(line, time.getMinute()).append(':');
    twoDigits(line, time.getSecond()).append('.');
    int millis = time.getNano() / 1_000_000;
    if (millis < 100) {
      line.append('0');
    }
    twoDigits(line, millis);
    line.append(time.getOffset().getId());
  }

  private static StringBuilder twoDigits(StringBuilder line, int value) {
    if (value < 10) {
      line.append('0');
    }
    return line.append(value);
  }
}
