package io.hivemind.core.state;

/**
 * A {@link StateNode}'s figures at one moment.
 *
 * @param tableVersion the version of the table it applies, 0 before any
 * @param partitionsOwned partitions it owns
 * @param partitionsHeld partitions it holds a copy of (owned, backed up or filling)
 * @param entries live entries it holds, over every partition it holds
 * @param streaming partitions it is streaming to a migration's destination now
 */
public record StateStats(
    long tableVersion, int partitionsOwned, int partitionsHeld, long entries, int streaming) {}
