package io.hivemind.server.catalog;

import io.hivemind.core.catalog.WireCatalogCodec;
import io.hivemind.core.control.WireControlCodec;
import java.time.Duration;
import java.util.Objects;

/**
 * Catalogue replication between nodes ({@link CatalogReplication}).
 *
 * @param digestInterval how often every link exchanges digests, healing whatever a lost frame or a
 *     refused owner left behind
 * @param maxFrameBytes the largest catalogue frame sent; larger batches are split, and a single
 *     owner's state above it travels in chunks (docs/protocol/catalogue.md, "Chunked states")
 */
public record ReplicationConfig(Duration digestInterval, int maxFrameBytes) {

  /**
   * Deltas flow at once and a link's (re)start exchanges digests, so the periodic exchange only
   * heals the rare loss (an owner admitted after its first delta arrived, a frame dropped while a
   * link was cut off). 10 s bounds that staleness; each round costs one digest per link (~30 bytes
   * per owner), a few KB every 10 s on a 100-agent cluster.
   */
  public static final Duration DEFAULT_DIGEST_INTERVAL = Duration.ofSeconds(10);

  /**
   * What a gateway accepts from a follower in one frame (a submit's entry limit, {@link
   * WireControlCodec#MAX_ENTRY_BYTES}, plus the request's fields). Larger owners' states are
   * chunked well under it.
   */
  public static final int DEFAULT_MAX_FRAME_BYTES = WireControlCodec.MAX_ENTRY_BYTES;

  public ReplicationConfig {
    Objects.requireNonNull(digestInterval, "digestInterval");
    if (digestInterval.isNegative() || digestInterval.isZero()) {
      throw new IllegalArgumentException("digestInterval must be positive: " + digestInterval);
    }
    if (maxFrameBytes < 1_024 || maxFrameBytes > WireCatalogCodec.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "maxFrameBytes must be 1024.." + WireCatalogCodec.MAX_FRAME_BYTES + ": " + maxFrameBytes);
    }
  }

  public static ReplicationConfig defaults() {
    return new ReplicationConfig(DEFAULT_DIGEST_INTERVAL, DEFAULT_MAX_FRAME_BYTES);
  }

  public ReplicationConfig withDigestInterval(Duration interval) {
    return new ReplicationConfig(interval, maxFrameBytes);
  }
}
