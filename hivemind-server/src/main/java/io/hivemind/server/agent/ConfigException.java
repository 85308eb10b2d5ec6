package io.hivemind.server.agent;

/** Agent configuration a person must fix; the message says what and where, with the value. */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
