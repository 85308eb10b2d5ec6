package io.hivemind.core.catalog;

/**
 * Encodes and decodes {@link CatalogMessage}s (catalog.proto). Decoding bounds every count and
 * length before allocating and validates every field through the records' constructors, so a forged
 * or mutated message is refused whole with a {@link CatalogDecodeException}.
 *
 * <p>SKELETON: implemented by the catalogue-wire piece.
 */
public final class WireCatalogCodec {

  private WireCatalogCodec() {}

  public static byte[] encode(CatalogMessage message) {
    throw new UnsupportedOperationException("not yet implemented: " + message.getClass());
  }

  public static CatalogMessage decode(byte[] bytes) throws CatalogDecodeException {
    throw new CatalogDecodeException("not yet implemented: " + bytes.length + " bytes");
  }
}
