/**
 * {@code hivemind sim partitions}: plans partition tables and migrations for large clusters through
 * hivemind-core's pure assigner and planner, and reports balance, copies against the minimum and
 * under-replication (issue 13).
 */
package io.hivemind.sim.partition;
