package io.hivemind.server.http;

import io.hivemind.core.catalog.CheckDefinition;

/**
 * Reads the body of {@code PUT /v1/agent/check/register} (Consul's {@code CheckDefinition}: {@code
 * ID}, {@code Name}, {@code ServiceID}, {@code Notes}, {@code Status} and the fields of a
 * registration's check) into a validated {@link CheckDefinition}, with {@link RegistrationJson}'s
 * rules for the check itself. Consul's defaults: the id is the name, the name is required; without
 * a {@code ServiceID} it is a node check ({@link CheckDefinition#nodeCheck}).
 */
final class CheckJson {

  private CheckJson() {}

  /**
   * Reads a check definition.
   *
   * @throws ApiException 400 {@code invalid_registration} or {@code unknown_field} naming what is
   *     wrong
   */
  static CheckDefinition read(byte[] body) {
    ConsulObject check = new ConsulObject(JsonBody.parse(body), "the check", RegistrationJson.CODE);
    String serviceId = check.string("ServiceID", "");
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
