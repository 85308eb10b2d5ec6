package io.hivemind.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.status.NopStatusListener;
import io.hivemind.server.agent.AgentConfig.LogFormat;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The log configuration of the {@code hivemind} command, in code: readable lines on stderr by
 * default, one JSON object per line when the agent's configuration asks for it ({@code log_format:
 * json}). stdout stays clean for command output (tables, JSON).
 *
 * <p>Why code and not {@code logback.xml}: reading an XML file costs Logback's Joran framework and
 * the JDK's XML parser, about 600 classes and 3 MB of a process that should stay under 64 MB
 * (docs/benchmarks.md, "Agent footprint"). {@link LogConfigurator} applies the text format when
 * Logback starts; the format is only known once flags, environment and file are merged, so {@link
 * #use} switches to JSON then, before the agent logs its first line.
 *
 * <p>The level of everything but Netty comes from {@code HIVEMIND_LOG_LEVEL} (default INFO); Netty
 * is chatty at debug, so it logs warnings and errors only.
 */
final class LogSetup {

  /** Environment variable naming the root level: TRACE, DEBUG, INFO, WARN, ERROR or OFF. */
  static final String LEVEL_VARIABLE = "HIVEMIND_LOG_LEVEL";

  private static final String APPENDER_NAME = "stderr";

  private LogSetup() {}

  /** Switches the log to {@code format}; the text format is already in place from start-up. */
  static void use(LogFormat format) {
    if (format != LogFormat.JSON) {
      return;
    }
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      throw new IllegalStateException("JSON logging needs Logback, which is not on the class path");
    }
    context.reset();
    configure(context, LogFormat.JSON, System.getenv());
  }

  /**
   * Gives a fresh (or reset) {@code context} one stderr appender in {@code format}, and the levels.
   * An unknown {@code HIVEMIND_LOG_LEVEL} means INFO, with a warning the first time (from {@link
   * LogConfigurator}), not again when {@link #use} switches to JSON.
   */
  static void configure(LoggerContext context, LogFormat format, Map<String, String> env) {
    // The XML files said <statusListener class="NopStatusListener"/>: Logback's own start-up
    // chatter stays off the console.
    context.getStatusManager().add(new NopStatusListener());

    Encoder<ILoggingEvent> encoder =
        format == LogFormat.JSON ? jsonEncoder() : textEncoder(context);
    encoder.setContext(context);
    encoder.start();

    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(APPENDER_NAME);
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();

    context.getLogger("io.netty").setLevel(Level.WARN);
    // Ratis logs every segment, election step and JMX bean at INFO: a healthy control node would
    // drown the agent's own lines. Its warnings and errors still show.
    context.getLogger("org.apache.ratis").setLevel(Level.WARN);
    // Its client logs each retried attempt of a request at ERROR ("Failed*": a leader was being
    // elected); the request is retried and the control plane reports a final failure itself.
    context.getLogger("org.apache.ratis.client.impl.OrderedAsync").setLevel(Level.OFF);
    String levelName = env.get(LEVEL_VARIABLE);
    Level level = level(levelName);
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(level == null ? Level.INFO : level);
    root.addAppender(appender);
    if (format == LogFormat.TEXT && level == null && levelName != null && !levelName.isBlank()) {
      context
          .getLogger(LogSetup.class)
          .warn(
              "{}={} is not a level (TRACE, DEBUG, INFO, WARN, ERROR or OFF); logging at INFO",
              LEVEL_VARIABLE,
              levelName);
    }
  }

  /** The level {@code name} spells, ignoring case; null when unset or not a level. */
  static Level level(String name) {
    if (name == null) {
      return null;
    }
    return switch (name.trim().toUpperCase(Locale.ROOT)) {
      case "TRACE" -> Level.TRACE;
      case "DEBUG" -> Level.DEBUG;
      case "INFO" -> Level.INFO;
      case "WARN" -> Level.WARN;
      case "ERROR" -> Level.ERROR;
      case "OFF" -> Level.OFF;
      default -> null;
    };
  }

  private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
    TextLogLayout layout = new TextLogLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setLayout(layout);
    return encoder;
  }

  /**
   * Timestamp, level, thread, logger, the message as a reader sees it ({@code formattedMessage})
   * beside its pattern and arguments (for grouping by pattern), MDC and exception; no Logback
   * extras.
   */
  private static Encoder<ILoggingEvent> jsonEncoder() {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setWithFormattedMessage(true);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    return encoder;
  }
}
