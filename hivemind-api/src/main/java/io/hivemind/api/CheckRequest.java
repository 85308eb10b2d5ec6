package io.hivemind.api;

import java.util.List;
import java.util.Map;

/**
 * A check in a registration ({@code Check} or {@code Checks} of {@code PUT
 * /v1/agent/service/register}), in Consul's shape ({@code AgentServiceCheck}). Exactly one of
 * {@link #ttl}, {@link #http} and {@link #tcp} says its kind. Durations are Go's syntax: {@code
 * "10s"}, {@code "1m30s"}, {@code "250ms"}.
 *
 * @param checkId its id, unique on the agent; null for {@code service:<id>} (or {@code
 *     service:<id>:<n>} for the n-th of {@code Checks})
 * @param name a human name; null for Consul's default
 * @param ttl for a TTL check: how long a reported status stands
 * @param http for an HTTP check: the URL the agent requests every {@link #interval}
 * @param tcp for a TCP check: the {@code host:port} the agent connects to every {@link #interval}
 * @param interval for HTTP and TCP checks: the time between probes
 * @param timeout for HTTP and TCP checks: how long one probe may take; null for 10 s
 * @param method for HTTP checks: the request method; null for GET
 * @param header for HTTP checks: extra request headers; null for none
 * @param tlsSkipVerify for HTTPS checks: accept any certificate
 * @param deregisterCriticalServiceAfter remove the instance once the check has been critical this
 *     long; null never
 * @param status the status before the first result; null for {@code critical}
 */
public record CheckRequest(
    String checkId,
    String name,
    String ttl,
    String http,
    String tcp,
    String interval,
    String timeout,
    String method,
    Map<String, List<String>> header,
    boolean tlsSkipVerify,
    String deregisterCriticalServiceAfter,
    String status) {

  /**
   * A TTL check.
   *
   * @param ttl how long a reported status stands, such as {@code "10s"}
   * @return the check, critical until the first report
   */
  public static CheckRequest ttl(String ttl) {
    return new CheckRequest(null, null, ttl, null, null, null, null, null, null, false, null, null);
  }

  /**
   * An HTTP check.
   *
   * @param url the URL to request
   * @param interval the time between requests, such as {@code "10s"}
   * @return the check, critical until the first probe
   */
  public static CheckRequest http(String url, String interval) {
    return new CheckRequest(
        null, null, null, url, null, interval, null, null, null, false, null, null);
  }

  /**
   * A TCP check.
   *
   * @param hostPort where to connect
   * @param interval the time between connects, such as {@code "10s"}
   * @return the check, critical until the first probe
   */
  public static CheckRequest tcp(String hostPort, String interval) {
    return new CheckRequest(
        null, null, null, null, hostPort, interval, null, null, null, false, null, null);
  }
}
