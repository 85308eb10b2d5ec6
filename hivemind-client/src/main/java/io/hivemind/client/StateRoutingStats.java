package io.hivemind.client;

/**
 * How a client's partitioned-state calls were routed (issue 13's client routing), since the client
 * was made: a client whose table is current sends every call to its key's owner, and the agents
 * forward none of them.
 *
 * @param tableVersion the version of the partition-owners table the client routes by, 0 before it
 *     fetched one
 * @param calls answers received
 * @param forwardedAnswers answers that say the agent forwarded the call ({@code
 *     X-Hivemind-Forwarded: true}): the client's table named another owner, or it had none yet
 * @param tableFetches fetches of {@code GET /v1/partitions/owners} started
 * @param fallbacks calls sent to the configured agent after the owner refused the connection
 * @param binaryCalls answers received over the binary state client protocol (state_client.proto)
 *     rather than HTTP: once the client holds a table naming the owners' state client ports, all of
 *     them but those sent while a connection is being made or is down
 */
public record StateRoutingStats(
    long tableVersion,
    long calls,
    long forwardedAnswers,
    long tableFetches,
    long fallbacks,
    long binaryCalls) {}
