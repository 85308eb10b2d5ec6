/**
 * Partitioned state's placement, pure (issue 13): which member owns each partition and which
 * members back it up, and how to get from one such table to the next.
 *
 * <p>{@link PartitionAssigner} turns the committed members (with host and zone) into a {@link
 * PartitionTable}: deterministic, balanced to the granularity floor, with replicas that repel each
 * other (never two on one host, nor in one zone when zones are set). Given the previous table it
 * keeps every surviving replica where it is, promotes the first surviving backup of a removed owner
 * and copies only what balance needs. {@link MigrationPlanner} lists the copies between two tables
 * and {@link MigrationStepper} applies them copy-before-drop, so no partition loses a replica while
 * one moves. Nothing here reads a clock or opens a socket: the control plane's leader runs it and
 * commits the result (Hazelcast's rule: only the master writes the table).
 */
package io.hivemind.core.partition;
