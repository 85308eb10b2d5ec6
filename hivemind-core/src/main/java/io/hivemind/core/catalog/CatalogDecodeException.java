package io.hivemind.core.catalog;

/** Bytes that are not a valid catalogue message; the message says what is wrong with them. */
public final class CatalogDecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public CatalogDecodeException(String message) {
    super(message);
  }

  public CatalogDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
