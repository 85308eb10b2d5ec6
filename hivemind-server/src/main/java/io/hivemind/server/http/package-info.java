/**
 * The agent's HTTP API on Vert.x Web (see docs/adr/0001-http-server.md): Consul-shaped JSON for
 * members, self, join, leave and Prometheus metrics. {@link io.hivemind.server.http.HttpApi} is the
 * only entry point; it reaches the agent through {@link io.hivemind.server.http.AgentOperations},
 * never through the membership driver itself.
 */
package io.hivemind.server.http;
