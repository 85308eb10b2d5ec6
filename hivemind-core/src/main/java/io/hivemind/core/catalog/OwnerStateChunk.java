package io.hivemind.core.catalog;

import java.util.List;

/**
 * Part {@code index} (0-based) of {@code count} of one owner's whole state at {@code (generation,
 * seq)}: how a state too large for one frame travels (docs/protocol/catalogue.md, "Chunked
 * states"). A replica stages the parts ({@link ChunkAssembler}) and applies the whole state only
 * when the last one arrived.
 */
public record OwnerStateChunk(
    String owner,
    long generation,
    long seq,
    int index,
    int count,
    List<ServiceInstance> instances) {

  /**
   * Chunks in one state at most: 65,536 instances ({@link WireCatalogCodec#MAX_INSTANCES}) need no
   * more than that many chunks, and it bounds what a forged count can promise.
   */
  public static final int MAX_CHUNKS = WireCatalogCodec.MAX_INSTANCES;

  public OwnerStateChunk {
    CatalogNames.requireId("owner", owner);
    if (seq < 0) {
      throw new IllegalArgumentException("seq must be >= 0: " + seq);
    }
    if (count < 1 || count > MAX_CHUNKS) {
      throw new IllegalArgumentException("chunk count must be 1.." + MAX_CHUNKS + ": " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException("chunk index must be 0.." + (count - 1) + ": " + index);
    }
    instances = List.copyOf(instances);
    for (ServiceInstance instance : instances) {
      if (!instance.owner().equals(owner)) {
        throw new IllegalArgumentException(
            "owner " + owner + "'s state chunk carries an instance of " + instance.owner());
      }
    }
  }

  public OwnerVersion version() {
    return new OwnerVersion(generation, seq);
  }

  public boolean isLast() {
    return index == count - 1;
  }
}
