package io.hivemind.core.catalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stages the chunks of owners' whole states received on one link until each state is complete
 * (docs/protocol/catalogue.md, "Chunked states"), so a replica applies a chunked state in one step
 * and never exposes half an owner's instances.
 *
 * <p>Rules, per owner:
 *
 * <ul>
 *   <li>Chunk 0 starts a staging (and restarts one of the same version: a state sent again). Chunks
 *       then must come in order, {@code index} = the next expected one, with the same count;
 *       anything else is {@link Outcome#IGNORED} and leaves the staging as it was.
 *   <li>A chunk of a newer version than the staged one discards the staging; an older one is
 *       ignored. A chunk no newer than what the replica holds is ignored and discards any staging
 *       that is no newer either.
 *   <li>An instance id repeated across chunks discards the staging ({@link Outcome#REFUSED}).
 * </ul>
 *
 * <p>Memory: the staged chunks' encoded bytes (as received) are bounded by {@code maxStagedBytes}
 * per assembler, that is per link. On an honest link one state is in flight at a time (a sender
 * sends a state's chunks consecutively), so a new staging that does not fit evicts the oldest
 * others; a single state that alone exceeds the bound, or holds more than {@link
 * WireCatalogCodec#MAX_INSTANCES} instances, is refused. A hostile peer can so hold at most the
 * bound, never the heap.
 *
 * <p>Not thread-safe: owned by the replica's thread, like the replica.
 */
public final class ChunkAssembler {

  /** What became of one chunk. */
  public enum Outcome {
    /** Staged; more chunks are expected. */
    STAGED,
    /** The last chunk: {@link Result#state()} holds the whole state, to apply. */
    COMPLETE,
    /** Stale, duplicate or out of order: dropped, the staging unchanged. */
    IGNORED,
    /** Over the memory bound or inconsistent: dropped with the owner's staging. */
    REFUSED
  }

  /** One chunk's outcome, and the whole state when it completed one. */
  public record Result(Outcome outcome, OwnerState state) {
    static final Result STAGED = new Result(Outcome.STAGED, null);
    static final Result IGNORED = new Result(Outcome.IGNORED, null);
    static final Result REFUSED = new Result(Outcome.REFUSED, null);
  }

  private static final class Staging {
    final OwnerVersion version;
    final int count;
    final List<ServiceInstance> instances = new ArrayList<>();
    final Set<String> ids = new HashSet<>();
    int next;
    long bytes;

    Staging(OwnerVersion version, int count) {
      this.version = version;
      this.count = count;
    }
  }

  private final long maxStagedBytes;
  // Insertion order is the eviction order: the oldest staging goes first.
  private final Map<String, Staging> staged = new LinkedHashMap<>();
  private long stagedBytes;

  public ChunkAssembler(long maxStagedBytes) {
    if (maxStagedBytes < 1) {
      throw new IllegalArgumentException("maxStagedBytes must be positive: " + maxStagedBytes);
    }
    this.maxStagedBytes = maxStagedBytes;
  }

  /**
   * Offers one chunk.
   *
   * @param frameBytes the chunk's encoded size, what the bound counts
   * @param held the version the replica holds for the chunk's owner, or null
   */
  public Result offer(OwnerStateChunk chunk, int frameBytes, OwnerVersion held) {
    String owner = chunk.owner();
    OwnerVersion version = chunk.version();
    Staging current = staged.get(owner);
    if (held != null && !version.isNewerThan(held)) {
      if (current != null && !current.version.isNewerThan(held)) {
        discard(owner);
      }
      return Result.IGNORED;
    }
    if (current != null && !version.equals(current.version)) {
      if (!version.isNewerThan(current.version)) {
        return Result.IGNORED;
      }
      discard(owner);
      current = null;
    }
    if (chunk.index() == 0) {
      discard(owner);
      current = new Staging(version, chunk.count());
      staged.put(owner, current);
    } else if (current == null || chunk.index() != current.next || chunk.count() != current.count) {
      return Result.IGNORED;
    }
    return append(owner, current, chunk, frameBytes);
  }

  private Result append(String owner, Staging staging, OwnerStateChunk chunk, int frameBytes) {
    if (staging.bytes + frameBytes > maxStagedBytes
        || staging.instances.size() + chunk.instances().size() > WireCatalogCodec.MAX_INSTANCES) {
      discard(owner);
      return Result.REFUSED;
    }
    for (ServiceInstance instance : chunk.instances()) {
      if (!staging.ids.add(instance.id())) {
        discard(owner);
        return Result.REFUSED;
      }
    }
    staging.instances.addAll(chunk.instances());
    staging.bytes += frameBytes;
    staging.next++;
    stagedBytes += frameBytes;
    if (chunk.isLast()) {
      discard(owner);
      return new Result(
          Outcome.COMPLETE,
          new OwnerState(owner, chunk.generation(), chunk.seq(), staging.instances));
    }
    evictOthers(owner);
    return Result.STAGED;
  }

  /** Keeps the total under the bound by dropping the oldest stagings other than {@code keep}. */
  private void evictOthers(String keep) {
    Iterator<Map.Entry<String, Staging>> oldest = staged.entrySet().iterator();
    while (stagedBytes > maxStagedBytes && oldest.hasNext()) {
      Map.Entry<String, Staging> entry = oldest.next();
      if (!entry.getKey().equals(keep)) {
        stagedBytes -= entry.getValue().bytes;
        oldest.remove();
      }
    }
  }

  private void discard(String owner) {
    Staging removed = staged.remove(owner);
    if (removed != null) {
      stagedBytes -= removed.bytes;
    }
  }

  /** Encoded bytes staged now, over every owner. */
  public long stagedBytes() {
    return stagedBytes;
  }

  /** Owners with a staging in progress. */
  public int stagedOwners() {
    return staged.size();
  }
}
