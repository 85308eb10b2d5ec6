package io.hivemind.core.catalog;

/**
 * How far a replica holds an owner's instances: the owner's generation (a new one each time its
 * process starts, ordered by the owner's start time, so a restarted owner's first state replaces
 * its previous life's) and the sequence number of its last change within that generation.
 */
public record OwnerVersion(long generation, long seq) implements Comparable<OwnerVersion> {

  public OwnerVersion {
    if (seq < 0) {
      throw new IllegalArgumentException("seq must be >= 0: " + seq);
    }
  }

  @Override
  public int compareTo(OwnerVersion other) {
    int byGeneration = Long.compare(generation, other.generation);
    return byGeneration != 0 ? byGeneration : Long.compare(seq, other.seq);
  }

  public boolean isNewerThan(OwnerVersion other) {
    return compareTo(other) > 0;
  }
}
