/**
 * The agent's driver of the partitioned store (issue 13): {@link
 * io.hivemind.server.state.StateService} runs the core's {@code StateNode} on one thread, feeding
 * it committed partition tables, the lease, ticks, HTTP requests and peers' messages, and carrying
 * out what it produces (messages to peers, replies, proposals to the control plane). No sockets
 * here: the transport moves the bytes.
 */
package io.hivemind.server.state;
