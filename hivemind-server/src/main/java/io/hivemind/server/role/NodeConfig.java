package io.hivemind.server.role;

import io.hivemind.api.Environment;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * What a role sees of its agent's configuration. The agent's own {@code AgentConfig} lives in the
 * composition root, which no layer may import (docs/architecture.md), so the agent hands roles this
 * copy of the part they need.
 *
 * @param nodeName unique name in the cluster
 * @param environment the environment served
 * @param instance 0 or 1, the agent's slot on this host
 * @param cluster cluster name
 * @param roles roles this node performs
 * @param zone failure zone; empty: none
 * @param dataDir where this node keeps durable state; may not exist yet: the first role that writes
 *     there creates it (a plain agent writes nothing)
 * @param control the control plane's settings
 * @param dns the DNS interface's settings (read by the {@code dns} role only)
 */
public record NodeConfig(
    String nodeName,
    Environment environment,
    int instance,
    String cluster,
    Set<String> roles,
    String zone,
    Path dataDir,
    ControlConfig control,
    DnsConfig dns) {

  public NodeConfig {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(control, "control");
    Objects.requireNonNull(dns, "dns");
    roles = Set.copyOf(roles);
  }
}
