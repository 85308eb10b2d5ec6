package io.hivemind.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.hivemind.server.agent.AgentConfig.LogFormat;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * Switches the log to JSON lines when the agent's configuration asks for it. Logback starts with
 * the readable format of {@code logback.xml}; the format is only known once flags, environment and
 * file are merged, so JSON is loaded then, before the agent logs its first line.
 */
final class LogSetup {

  private static final String JSON_CONFIG = "logback-json.xml";

  private LogSetup() {}

  static void use(LogFormat format) {
    if (format != LogFormat.JSON) {
      return;
    }
    URL json = LogSetup.class.getResource(JSON_CONFIG);
    if (json == null || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      throw new IllegalStateException("JSON logging is not available in this distribution");
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(json);
    } catch (JoranException e) {
      throw new IllegalStateException("cannot load " + json, e);
    }
  }
}
