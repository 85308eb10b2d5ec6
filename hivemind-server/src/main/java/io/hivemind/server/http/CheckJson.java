package io.hivemind.server.http;

import io.hivemind.core.catalog.CheckDefinition;

/**
 * Reads the body of {@code PUT /v1/agent/check/register} (Consul's {@code CheckDefinition}: {@code
 * ID}, {@code Name}, {@code ServiceID}, {@code Notes}, {@code Status} and the fields of a
 * registration's check) into a validated {@link CheckDefinition}, with {@link RegistrationJson}'s
 * rules for the check itself. Consul's defaults: the id is the name, the name is required.
 */
final class CheckJson {

  private CheckJson() {}

  /**
   * Reads a check definition.
   *
   * @throws ApiException 400 {@code not_supported} for a check bound to no service (Hivemind models
   *     no node-level checks), 400 {@code invalid_registration} or {@code unknown_field} naming
   *     what else is wrong
   */
  static CheckDefinition read(byte[] body) {
    ConsulObject check = new ConsulObject(JsonBody.parse(body), "the check", RegistrationJson.CODE);
    String serviceId = check.string("ServiceID", "");
    if (serviceId.isEmpty()) {
      throw new ApiException(
          400,
          "not_supported",
          "a check needs a \"ServiceID\" naming one of this agent's service instances:"
              + " Hivemind keeps a service's checks only, it has no node-level checks");
    }
    String name = check.string("Name", "");
    if (name.isEmpty()) {
      throw check.bad("a check needs a \"Name\"");
    }
    try {
      return RegistrationJson.check(check, serviceId, name);
    } catch (IllegalArgumentException e) {
      throw check.bad(e.getMessage());
    }
  }
}
