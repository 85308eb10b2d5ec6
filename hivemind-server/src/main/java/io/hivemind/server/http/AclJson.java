package io.hivemind.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.acl.AclRule;
import io.hivemind.core.acl.AclToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The JSON of the ACL endpoints (docs/acl.md): Consul's token shape ({@code AccessorID}, {@code
 * SecretID} when just created, {@code Description}, {@code CreateIndex}, {@code ModifyIndex}) with
 * Hivemind's own {@code Management} flag and {@code Rules} list in place of Consul's policies:
 * {@code [{"Resource": "service", "Prefix": "web", "Access": "write"}]}.
 */
final class AclJson {

  private static final Set<String> CREATE_FIELDS = Set.of("Description", "Management", "Rules");
  private static final Set<String> RULE_FIELDS = Set.of("Resource", "Prefix", "Access");

  private AclJson() {}

  /** What a create request asks for. */
  record TokenRequest(String description, boolean management, List<AclRule> rules) {}

  /** Reads a create request's body; an empty body asks for a token with no rules. */
  static TokenRequest tokenRequest(byte[] body) {
    if (body.length == 0) {
      return new TokenRequest("", false, List.of());
    }
    ConsulObject token = new ConsulObject(JsonBody.parse(body), "the token", "bad_token");
    token.refuseUnknown(CREATE_FIELDS);
    List<AclRule> rules = new ArrayList<>();
    for (ConsulObject rule : token.objects("Rules")) {
      rules.add(rule(rule));
    }
    return new TokenRequest(
        token.string("Description", ""),
        token.raw("Management") != null && token.bool("Management"),
        rules);
  }

  private static AclRule rule(ConsulObject rule) {
    rule.refuseUnknown(RULE_FIELDS);
    String resource = rule.string("Resource", "");
    String access = rule.string("Access", "");
    return new AclRule(
        AclResource.ofRuleName(resource)
            .orElseThrow(
                () ->
                    rule.bad(
                        rule.field("Resource")
                            + " must be service, key, node, agent, operator or acl: '"
                            + resource
                            + "'")),
        rule.string("Prefix", ""),
        AclAccess.ofRuleName(access)
            .orElseThrow(
                () ->
                    rule.bad(
                        rule.field("Access") + " must be read, write or deny: '" + access + "'")));
  }

  /** One token; {@code secret} only right after creating it (null otherwise: it is not kept). */
  static byte[] token(AclToken token, String secret) {
    return ApiJson.write(json -> write(json, token, secret));
  }

  static byte[] tokens(Collection<AclToken> tokens) {
    return ApiJson.write(
        json -> {
          json.writeStartArray();
          for (AclToken token : tokens) {
            write(json, token, null);
          }
          json.writeEndArray();
        });
  }

  private static void write(JsonGenerator json, AclToken token, String secret) throws IOException {
    json.writeStartObject();
    json.writeStringField("AccessorID", token.accessorId());
    if (secret != null) {
      json.writeStringField("SecretID", secret);
    }
    json.writeStringField("Description", token.description());
    json.writeBooleanField("Management", token.management());
    json.writeArrayFieldStart("Rules");
    for (AclRule rule : token.rules()) {
      json.writeStartObject();
      json.writeStringField("Resource", rule.resource().ruleName());
      json.writeStringField("Prefix", rule.prefix());
      json.writeStringField("Access", rule.access().ruleName());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeBooleanField("Local", false);
    json.writeNumberField("CreateIndex", token.createIndex());
    json.writeNumberField("ModifyIndex", token.modifyIndex());
    json.writeEndObject();
  }
}
