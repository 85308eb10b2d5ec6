/**
 * The deterministic simulator: a virtual clock and event queue ({@link
 * io.hivemind.sim.EventQueue}), a simulated network with latency, loss, partitions, slow and
 * crashed nodes, and seeded scenarios ({@link io.hivemind.sim.MembershipScenario}) that drive the
 * real {@code MembershipNode} of hivemind-core, packet bytes and all.
 *
 * <p>Everything runs on the caller's thread; nothing reads a clock except the scenario runner,
 * which times itself to report simulated seconds per wall second. One master seed derives every
 * random stream, so the same seed replays the same run event for event.
 */
package io.hivemind.sim;
