package io.hivemind.sim;

/**
 * Accusations against members that were running at the time: a member some node marked DEAD (or
 * SUSPECT) while its process was up. Partitions make these on purpose; otherwise DEAD ones are
 * protocol failures and SUSPECT ones the cost of loss that refutation repairs.
 *
 * @param deadMembers distinct running members marked DEAD by at least one node
 * @param deadEvents times any node marked a running member DEAD
 * @param suspectMembers distinct running members marked SUSPECT by at least one node
 * @param suspectEvents times any node marked a running member SUSPECT
 */
public record FalsePositives(
    int deadMembers, long deadEvents, int suspectMembers, long suspectEvents) {}
