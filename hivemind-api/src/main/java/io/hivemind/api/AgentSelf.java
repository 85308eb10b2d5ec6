package io.hivemind.api;

/**
 * The agent's view of itself, the answer of {@code GET /v1/agent/self}: {@code {"Config": {...},
 * "Member": {...}, "Stats": {...}}}, the three parts Consul's answer also has.
 *
 * @param config what the agent is configured as
 * @param member the agent as a cluster member, in the shape of {@code GET /v1/agent/members}
 * @param stats figures of the agent's membership view
 */
public record AgentSelf(AgentConfig config, AgentMember member, AgentStats stats) {}
