package io.hivemind.core.catalog;

/** How a check learns its status: pushed by the service (TTL) or probed by the owning agent. */
public enum CheckKind {
  /** The service reports pass/warn/fail itself before its TTL runs out, else it turns critical. */
  TTL,
  /**
   * The owning agent sends an HTTP request every interval: 2xx passes, 429 warns, else critical.
   */
  HTTP,
  /** The owning agent opens a TCP connection every interval: connected passes, else critical. */
  TCP,
  /**
   * Maintenance mode (Consul's {@code _service_maintenance:ID}): critical for as long as it is
   * registered, its output the operator's reason; nothing probes, reports or expires it.
   */
  MAINTENANCE
}
