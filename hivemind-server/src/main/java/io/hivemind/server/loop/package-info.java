/**
 * The single-thread executor seam between a stateful component and the thread that owns it ({@link
 * io.hivemind.server.loop.DriverLoop}): Netty event loops in the agent, a manual loop with virtual
 * time in tests.
 */
package io.hivemind.server.loop;
