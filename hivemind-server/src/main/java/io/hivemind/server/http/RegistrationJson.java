package io.hivemind.server.http;

import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.CheckKind;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.ServiceRegistration;
import io.hivemind.core.catalog.Weights;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the body of {@code PUT /v1/agent/service/register} (Consul's {@code
 * AgentServiceRegistration}, with its {@code Check} and {@code Checks}) into a validated {@link
 * ServiceRegistration}, or refuses it with a 400 whose sentence names the field. Lenient where real
 * clients differ (field case, {@code snake_case}, durations as Go strings or nanoseconds, an empty
 * {@code Header}), strict where a silent difference would mislead: unknown fields, and known
 * features Hivemind does not run (script, gRPC, Docker checks; Connect proxies), are refused.
 */
final class RegistrationJson {

  static final String CODE = "invalid_registration";

  /** Consul's default probe timeout. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Consul raises shorter probe intervals to this (its {@code MinInterval}). */
  static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  private static final Set<String> SERVICE_FIELDS =
      Set.of(
          "ID",
          "Name",
          "Tags",
          "Port",
          "Address",
          "Meta",
          "Weights",
          "Check",
          "Checks",
          "EnableTagOverride",
          "TaggedAddresses",
          "Kind",
          "SocketPath",
          "Proxy",
          "Connect",
          "Namespace",
          "Partition",
          "Locality");

  private static final Set<String> CHECK_FIELDS =
      Set.of(
          "CheckID",
          "ID",
          "Name",
          "ServiceID",
          "Status",
          "Notes",
          "Type",
          "TTL",
          "HTTP",
          "TCP",
          "Interval",
          "Timeout",
          "Method",
          "Header",
          "TLSSkipVerify",
          "TLSServerName",
          "DeregisterCriticalServiceAfter",
          "SuccessBeforePassing",
          "FailuresBeforeWarning",
          "FailuresBeforeCritical",
          "Args",
          "ScriptArgs",
          "DockerContainerID",
          "Shell",
          "Body",
          "DisableRedirects",
          "TCPUseTLS",
          "UDP",
          "GRPC",
          "GRPCUseTLS",
          "H2PING",
          "H2PingUseTLS",
          "AliasNode",
          "AliasService",
          "OSService",
          "OutputMaxSize",
          "Namespace",
          "Partition");

  private static final Set<String> WEIGHT_FIELDS = Set.of("Passing", "Warning");

  private RegistrationJson() {}

  /**
   * Reads a registration.
   *
   * @throws ApiException 400 naming what is wrong
   */
  static ServiceRegistration read(byte[] body) {
    ConsulObject service = new ConsulObject(JsonBody.parse(body), "the registration", CODE);
    service.refuseUnknown(SERVICE_FIELDS);
    service.refuseValue("Kind", "Hivemind registers typical services only");
    service.refuseValue("SocketPath", "instances listen on an address and port");
    service.refuseValue("Proxy", "Hivemind has no service mesh");
    service.refuseValue("Connect", "Hivemind has no service mesh");
    String name = service.string("Name", null);
    if (name == null || name.isEmpty()) {
      throw service.bad("the registration needs a \"Name\"");
    }
    String id = service.string("ID", "");
    String serviceId = id.isEmpty() ? name : id;
    try {
      return new ServiceRegistration(
          name,
          serviceId,
          service.string("Address", ""),
          (int) service.number("Port", 0, 0, 65_535),
          service.strings("Tags"),
          service.stringMap("Meta"),
          weights(service.object("Weights")),
          checks(service, serviceId));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(CODE, e.getMessage());
    }
  }

  static Weights weights(ConsulObject weights) {
    if (weights == null) {
      return Weights.DEFAULT;
    }
    weights.refuseUnknown(WEIGHT_FIELDS);
    // Consul fills a missing or zero passing weight with 1, a missing warning weight with 1.
    long passing = weights.number("Passing", 1, 0, Weights.MAX_WEIGHT);
    long warning = weights.number("Warning", 1, 0, Weights.MAX_WEIGHT);
    return new Weights(passing == 0 ? 1 : (int) passing, (int) warning);
  }

  private static List<CheckDefinition> checks(ConsulObject service, String serviceId) {
    List<ConsulObject> given = new ArrayList<>();
    ConsulObject one = service.object("Check");
    if (one != null) {
      given.add(one);
    }
    given.addAll(service.objects("Checks"));
    if (given.size() > ServiceInstance.MAX_CHECKS) {
      throw service.bad(
          "an instance has at most " + ServiceInstance.MAX_CHECKS + " checks: " + given.size());
    }
    List<CheckDefinition> checks = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      // Consul's ids: service:ID for an only check, service:ID:N for the N-th of several.
      String defaultId = "service:" + serviceId + (given.size() > 1 ? ":" + (i + 1) : "");
      checks.add(check(given.get(i), serviceId, defaultId));
    }
    return checks;
  }

  /** One check; also the body of a check of its own (Consul's {@code CheckType}). */
  static CheckDefinition check(ConsulObject check, String serviceId, String defaultId) {
    check.refuseUnknown(CHECK_FIELDS);
    for (String unsupported :
        List.of(
            "Args",
            "ScriptArgs",
            "DockerContainerID",
            "Shell",
            "Body",
            "UDP",
            "GRPC",
            "H2PING",
            "AliasNode",
            "AliasService",
            "OSService",
            "TCPUseTLS")) {
      check.refuseValue(unsupported, "Hivemind runs TTL, HTTP and TCP checks");
    }
    String ownService = check.string("ServiceID", "");
    if (!ownService.isEmpty() && !ownService.equals(serviceId)) {
      throw check.bad(check.field("ServiceID") + " names " + ownService + ", not " + serviceId);
    }
    String checkId = check.string("CheckID", check.string("ID", ""));
    checkId = checkId.isEmpty() ? defaultId : checkId;
    CheckKind kind = kind(check);
    String name = check.string("Name", "");
    Duration interval = kind == CheckKind.TTL ? Duration.ZERO : interval(check);
    return new CheckDefinition(
        checkId,
        name.isEmpty() ? "Service '" + serviceId + "' check" : name,
        serviceId,
        kind,
        kind == CheckKind.TTL ? positive(check, "TTL") : Duration.ZERO,
        interval,
        kind == CheckKind.TTL ? Duration.ZERO : duration(check, "Timeout", DEFAULT_TIMEOUT),
        target(check, kind),
        check.string("Method", "").isEmpty() ? "GET" : check.string("Method", ""),
        check.stringListMap("Header"),
        check.bool("TLSSkipVerify"),
        duration(check, "DeregisterCriticalServiceAfter", Duration.ZERO),
        status(check));
  }

  private static CheckKind kind(ConsulObject check) {
    List<CheckKind> kinds = new ArrayList<>();
    if (!check.string("TTL", "").isEmpty() || check.raw("TTL") instanceof Long) {
      kinds.add(CheckKind.TTL);
    }
    if (!check.string("HTTP", "").isEmpty()) {
      kinds.add(CheckKind.HTTP);
    }
    if (!check.string("TCP", "").isEmpty()) {
      kinds.add(CheckKind.TCP);
    }
    if (kinds.size() != 1) {
      throw check.bad(
          "a check has exactly one of \"TTL\", \"HTTP\" and \"TCP\""
              + (kinds.isEmpty() ? "" : ", not " + kinds));
    }
    return kinds.get(0);
  }

  private static String target(ConsulObject check, CheckKind kind) {
    return switch (kind) {
      case TTL, MAINTENANCE -> ""; // a registration never defines maintenance (kind() says)
      case HTTP -> check.string("HTTP", "");
      case TCP -> check.string("TCP", "");
    };
  }

  private static Duration interval(ConsulObject check) {
    Duration interval = positive(check, "Interval");
    return interval.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : interval;
  }

  private static Duration positive(ConsulObject check, String name) {
    Duration value = duration(check, name, Duration.ZERO);
    if (value.isZero()) {
      throw check.bad(check.field(name) + " must be a duration above zero, such as \"10s\"");
    }
    return value;
  }

  /** A Go duration string, or a number of nanoseconds (how Go's client encodes a Duration). */
  static Duration duration(ConsulObject check, String name, Duration absent) {
    Object value = check.raw(name);
    if (value == null || "".equals(value)) {
      return absent;
    }
    if (value instanceof Long nanos && nanos >= 0) {
      return Duration.ofNanos(nanos);
    }
    if (value instanceof String text) {
      try {
        return GoDuration.parse(text.trim());
      } catch (IllegalArgumentException e) {
        throw check.bad(check.field(name) + ": " + e.getMessage());
      }
    }
    throw check.bad(check.field(name) + " must be a duration such as \"10s\"");
  }

  private static HealthStatus status(ConsulObject check) {
    String status = check.string("Status", "");
    if (status.isEmpty()) {
      return HealthStatus.CRITICAL; // Consul's default: unhealthy until the first result
    }
    try {
      return HealthStatus.parse(status);
    } catch (IllegalArgumentException e) {
      throw check.bad(check.field("Status") + ": " + e.getMessage());
    }
  }
}
