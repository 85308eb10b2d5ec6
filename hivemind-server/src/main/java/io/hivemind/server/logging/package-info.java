/**
 * Logging helpers shared by the packages that face the network: {@link
 * io.hivemind.server.logging.RateLimitedLog} keeps a flood of connections or packets from becoming
 * a flood of log lines. No Netty and no clock reads: time is passed in.
 */
package io.hivemind.server.logging;
