package io.hivemind.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.hivemind.server.agent.AgentConfig.LogFormat;

/**
 * Configures Logback in code when it starts (found through {@code
 * META-INF/services/ch.qos.logback.classic.spi.Configurator}), so no XML is read: see {@link
 * LogSetup}.
 *
 * <p>It steps aside for an XML configuration someone brought on purpose: {@code
 * -Dlogback.configurationFile=...}, or a {@code logback-test.xml} or {@code logback.xml} on the
 * class path (tests have one; the distribution has none). Logback's own configurators then read it
 * as usual.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {

  private static final String CONFIGURATION_FILE_PROPERTY = "logback.configurationFile";

  private static final String[] XML_RESOURCES = {"logback-test.xml", "logback.xml"};

  /** Called by Logback's {@link java.util.ServiceLoader}. */
  public LogConfigurator() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (xmlConfigurationPresent()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LogSetup.configure(context, LogFormat.TEXT, System.getenv());
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static boolean xmlConfigurationPresent() {
    if (System.getProperty(CONFIGURATION_FILE_PROPERTY) != null) {
      return true;
    }
    ClassLoader loader = LogConfigurator.class.getClassLoader();
    for (String resource : XML_RESOURCES) {
      if (loader.getResource(resource) != null) {
        return true;
      }
    }
    return false;
  }
}
