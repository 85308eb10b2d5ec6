package io.hivemind.server.http;

import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ExternalCheck;
import io.hivemind.core.control.ExternalNode;
import io.hivemind.core.control.ExternalService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the bodies of {@code PUT /v1/catalog/register} and {@code PUT /v1/catalog/deregister}
 * (Consul's {@code RegisterRequest} and {@code DeregisterRequest}) into control commands, or
 * refuses them with a 400 naming the field. Consul's defaults: a service's ID is its name, a
 * check's ID its name (and its name its ID), a check's status {@code critical}, a check's node the
 * request's. Fields Consul's answers echo back ({@code CreateIndex}...) and its enterprise fields
 * are accepted and ignored; a {@code Datacenter} other than this cluster's is refused (there is no
 * other to forward to). Stateless.
 */
public final class CatalogRegisterJson {

  static final String CODE = "invalid_registration";

  private static final Set<String> REGISTER_FIELDS =
      Set.of(
          "ID",
          "Node",
          "Address",
          "Datacenter",
          "TaggedAddresses",
          "NodeMeta",
          "Service",
          "Check",
          "Checks",
          "SkipNodeUpdate",
          "Partition",
          "Namespace",
          "Locality",
          "PeerName",
          "Token");

  private static final Set<String> SERVICE_FIELDS =
      Set.of(
          "ID",
          "Service",
          "Tags",
          "Address",
          "Port",
          "Meta",
          "Weights",
          "EnableTagOverride",
          "TaggedAddresses",
          "Kind",
          "Proxy",
          "Connect",
          "SocketPath",
          "Namespace",
          "Partition",
          "Datacenter",
          "Locality",
          "PeerName",
          "CreateIndex",
          "ModifyIndex",
          "ContentHash");

  private static final Set<String> CHECK_FIELDS =
      Set.of(
          "Node",
          "CheckID",
          "Name",
          "Status",
          "Notes",
          "Output",
          "ServiceID",
          "ServiceName",
          "ServiceTags",
          "Type",
          "Definition",
          "Interval",
          "Timeout",
          "ExposedPort",
          "Namespace",
          "Partition",
          "PeerName",
          "CreateIndex",
          "ModifyIndex");

  private static final Set<String> DEREGISTER_FIELDS =
      Set.of("Node", "ServiceID", "CheckID", "Datacenter", "Namespace", "Partition", "Token");

  private CatalogRegisterJson() {}

  /**
   * Reads a registration for the cluster {@code datacenter}.
   *
   * @throws ApiException 400 naming what is wrong
   */
  static ControlCommand.CatalogRegister register(byte[] body, String datacenter) {
    ConsulObject request = new ConsulObject(JsonBody.parse(body), "the registration", CODE);
    request.refuseUnknown(REGISTER_FIELDS);
    checkDatacenter(request, datacenter);
    String node = required(request, "Node");
    try {
      ExternalNode external =
          new ExternalNode(
              node,
              required(request, "Address"),
              request.stringMap("TaggedAddresses"),
              request.stringMap("NodeMeta"));
      ConsulObject service = request.object("Service");
      return new ControlCommand.CatalogRegister(
          external,
          service == null ? Optional.empty() : Optional.of(service(service)),
          checks(request, node),
          request.bool("SkipNodeUpdate"));
    } catch (IllegalArgumentException e) {
      throw request.bad(e.getMessage());
    }
  }

  /**
   * Reads one registration of the agent's configuration ({@code services:} in its YAML file), in
   * the shape {@code PUT /v1/catalog/register} takes.
   *
   * @param json the entry as JSON
   * @throws IllegalArgumentException with the sentence the API would answer
   */
  public static ControlCommand.CatalogRegister configured(byte[] json, String datacenter) {
    try {
      return register(json, datacenter);
    } catch (ApiException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Reads a deregistration.
   *
   * @throws ApiException 400 naming what is wrong
   */
  static ControlCommand.CatalogDeregister deregister(byte[] body, String datacenter) {
    ConsulObject request = new ConsulObject(JsonBody.parse(body), "the deregistration", CODE);
    request.refuseUnknown(DEREGISTER_FIELDS);
    checkDatacenter(request, datacenter);
    try {
      return new ControlCommand.CatalogDeregister(
          required(request, "Node"),
          request.string("ServiceID", ""),
          request.string("CheckID", ""));
    } catch (IllegalArgumentException e) {
      throw request.bad(e.getMessage());
    }
  }

  private static void checkDatacenter(ConsulObject request, String datacenter) {
    String asked = request.string("Datacenter", "");
    if (!asked.isEmpty() && !asked.equals(datacenter)) {
      throw request.bad(
          request.field("Datacenter")
              + " is '"
              + asked
              + "', but this cluster is '"
              + datacenter
              + "' and there is no other to forward to");
    }
  }

  private static String required(ConsulObject object, String name) {
    String value = object.string(name, "");
    if (value.isEmpty()) {
      throw object.bad(object.field(name) + " is required");
    }
    return value;
  }

  private static ExternalService service(ConsulObject service) {
    service.refuseUnknown(SERVICE_FIELDS);
    service.refuseValue("Kind", "Hivemind registers typical services only");
    service.refuseValue("Proxy", "Hivemind has no service mesh");
    service.refuseValue("Connect", "Hivemind has no service mesh");
    service.refuseValue("SocketPath", "instances listen on an address and port");
    String name = required(service, "Service");
    String id = service.string("ID", "");
    return new ExternalService(
        id.isEmpty() ? name : id,
        name,
        service.strings("Tags"),
        service.string("Address", ""),
        (int) service.number("Port", 0, 0, 65_535),
        service.stringMap("Meta"),
        RegistrationJson.weights(service.object("Weights")));
  }

  /** {@code Check} and {@code Checks} together, as Consul moves the one into the other. */
  private static List<ExternalCheck> checks(ConsulObject request, String node) {
    List<ConsulObject> objects = new ArrayList<>(request.objects("Checks"));
    ConsulObject single = request.object("Check");
    if (single != null) {
      objects.add(0, single);
    }
    List<ExternalCheck> checks = new ArrayList<>(objects.size());
    for (ConsulObject check : objects) {
      checks.add(check(check, node));
    }
    return checks;
  }

  private static ExternalCheck check(ConsulObject check, String node) {
    check.refuseUnknown(CHECK_FIELDS);
    String checkNode = check.string("Node", "");
    if (!checkNode.isEmpty() && !checkNode.equals(node)) {
      throw check.bad(check.field("Node") + " is not the registration's node '" + node + "'");
    }
    String id = check.string("CheckID", "");
    String name = check.string("Name", "");
    if (id.isEmpty() && name.isEmpty()) {
      throw check.bad("a check needs a \"CheckID\" or a \"Name\"");
    }
    String status = check.string("Status", "");
    HealthStatus health;
    try {
      health = status.isEmpty() ? HealthStatus.CRITICAL : HealthStatus.parse(status);
    } catch (IllegalArgumentException e) {
      throw check.bad(
          check.field("Status") + " '" + status + "' is not passing, warning or critical");
    }
    return new ExternalCheck(
        id.isEmpty() ? name : id,
        name.isEmpty() ? id : name,
        health,
        check.string("Notes", ""),
        check.string("Output", ""),
        check.string("ServiceID", ""));
  }
}
