/**
 * The agent's HTTP API on Netty's HTTP/1.1 codec (see docs/adr/0002-http-server-netty.md):
 * Consul-shaped JSON for members, self, join, leave and Prometheus metrics. {@link
 * io.hivemind.server.http.HttpApi} is the only entry point; it reaches the agent through {@link
 * io.hivemind.server.http.AgentOperations}, never through the membership driver itself.
 */
package io.hivemind.server.http;
