package io.hivemind.api;

/**
 * The body of every 4xx and 5xx answer of the agent's HTTP API: {@code {"error": "bad_address",
 * "message": "..."}}. Unlike the other shapes, its two names are written in lower case.
 *
 * <p>Codes are stable and meant for programs; messages are one sentence for people and may change.
 * The codes in use:
 *
 * <table>
 *   <caption>Error codes</caption>
 *   <tr><th>status</th><th>code</th><th>meaning</th></tr>
 *   <tr><td>400</td><td>{@code bad_request}</td><td>not valid HTTP, or a malformed URI</td></tr>
 *   <tr><td>400</td><td>{@code bad_address}</td><td>a join address that is not host[:port]</td></tr>
 *   <tr><td>400</td><td>{@code bad_status}</td><td>a {@code status} filter that is no state</td></tr>
 *   <tr><td>400</td><td>{@code bad_format}</td><td>a metrics format other than prometheus</td></tr>
 *   <tr><td>400</td><td>{@code format_required}</td><td>metrics asked without a format</td></tr>
 *   <tr><td>400</td><td>{@code wan_not_supported}</td><td>a WAN join (Hivemind has no WAN
 *       pool)</td></tr>
 *   <tr><td>400</td><td>{@code unexpected_body}</td><td>a body sent to an endpoint that takes
 *       none</td></tr>
 *   <tr><td>400</td><td>{@code join_self}</td><td>a join through an address that is the agent
 *       itself</td></tr>
 *   <tr><td>400</td><td>{@code key_required}</td><td>a KV request without a key (a read
 *       needs one unless it lists with {@code ?recurse} or {@code ?keys})</td></tr>
 *   <tr><td>400</td><td>{@code bad_index}, {@code bad_wait}, {@code bad_cas}, {@code
 *       bad_flags}</td><td>a query parameter that is not a number (a duration for {@code wait},
 *       such as {@code 30s})</td></tr>
 *   <tr><td>400</td><td>{@code bad_consistency}</td><td>{@code ?stale} and {@code ?consistent}
 *       together</td></tr>
 *   <tr><td>400</td><td>{@code not_supported}</td><td>a Consul parameter Hivemind does not
 *       implement (KV sessions, event filters)</td></tr>
 *   <tr><td>400</td><td>{@code id_required}</td><td>an operator call without the peer's id (or
 *       address)</td></tr>
 *   <tr><td>400</td><td>{@code operator_refused}</td><td>the Raft group refused an operator call
 *       (no such peer)</td></tr>
 *   <tr><td>400</td><td>{@code invalid}</td><td>the control plane refused the command: a key,
 *       value, name or payload that breaks a field rule</td></tr>
 *   <tr><td>400</td><td>{@code bad_token}</td><td>a token to create with a bad field (an unknown
 *       resource or access, a rule too long); {@code acl_disabled}: the token endpoints of an agent
 *       with ACLs disabled</td></tr>
 *   <tr><td>403</td><td>{@code acl_denied}</td><td>ACLs are enabled and the request's token (or
 *       its absence, under the default policy) does not grant what the route needs; the message
 *       names the permission, never the token. An unknown token too (docs/acl.md)</td></tr>
 *   <tr><td>404</td><td>{@code acl_not_found}</td><td>no ACL token has that accessor id</td></tr>
 *   <tr><td>404</td><td>{@code unknown_peer}</td><td>no Raft peer has that address</td></tr>
 *   <tr><td>404</td><td>{@code unknown_member}</td><td>the control plane has no such
 *       member</td></tr>
 *   <tr><td>404</td><td>{@code not_found}</td><td>no endpoint at that path</td></tr>
 *   <tr><td>405</td><td>{@code method_not_allowed}</td><td>the path exists but not for that method
 *       (the {@code Allow} header names the right one)</td></tr>
 *   <tr><td>409</td><td>{@code agent_left}</td><td>a join asked of an agent that has left the
 *       cluster: leaving ends an agent's life, it shuts down once the leave is announced</td></tr>
 *   <tr><td>413</td><td>{@code body_too_large}</td><td>a body over the agent's limit</td></tr>
 *   <tr><td>414</td><td>{@code uri_too_long}</td><td>a request line over the agent's
 *       limit</td></tr>
 *   <tr><td>431</td><td>{@code headers_too_large}</td><td>headers over the agent's limit</td></tr>
 *   <tr><td>500</td><td>{@code join_failed}</td><td>the join failed; the message says why for
 *       each seed: connection refused, timed out, closed without an answer (a seed in another
 *       environment or cluster, or with another gossip key), unreachable, not resolvable</td></tr>
 *   <tr><td>500</td><td>{@code join_timeout}</td><td>the join did not finish within the API's
 *       timeout and was cancelled</td></tr>
 *   <tr><td>500</td><td>{@code leave_failed}</td><td>the leave failed or timed out</td></tr>
 *   <tr><td>409</td><td>{@code name_taken}, {@code id_reused}, {@code
 *       already_bootstrapped}</td><td>the control plane refused the command: it conflicts with
 *       its state</td></tr>
 *   <tr><td>500</td><td>{@code kv_failed}, {@code event_failed}, {@code read_failed}, {@code
 *       operator_failed}</td><td>a control-plane call failed in another way; the message
 *       says how</td></tr>
 *   <tr><td>500</td><td>{@code internal}</td><td>a fault in the agent</td></tr>
 *   <tr><td>503</td><td>{@code no_quorum}</td><td>the control plane has no quorum (or the agent
 *       has none): writes and linearizable reads fail fast; {@code ?stale} reads still
 *       answer</td></tr>
 *   <tr><td>503</td><td>{@code not_bootstrapped}</td><td>the control plane's log has no first
 *       entry yet</td></tr>
 * </table>
 *
 * @param error the stable, snake_case error code
 * @param message one sentence saying what went wrong, for a person
 */
public record ApiError(String error, String message) {}
