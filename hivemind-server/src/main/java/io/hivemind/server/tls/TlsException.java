package io.hivemind.server.tls;

/**
 * A TLS file or setting an operator must fix: a missing or unreadable file, a key that does not
 * belong to its certificate, a certificate the cluster CA did not sign, a bad name or address. The
 * message is one sentence naming the file or value, fit to print as it is (the CLI exits 2 with it;
 * the agent refuses to start with it).
 */
public final class TlsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TlsException(String message) {
    super(message);
  }

  public TlsException(String message, Throwable cause) {
    super(message, cause);
  }
}
