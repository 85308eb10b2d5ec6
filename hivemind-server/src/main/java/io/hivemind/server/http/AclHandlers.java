package io.hivemind.server.http;

import io.hivemind.core.acl.AclFieldRules;
import io.hivemind.core.acl.AclSecrets;
import io.hivemind.core.acl.AclToken;
import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import java.util.UUID;

/**
 * Consul's token endpoints (docs/acl.md): {@code PUT /v1/acl/token} creates one, {@code GET
 * /v1/acl/token/{id}}, {@code GET /v1/acl/token/self} and {@code GET /v1/acl/tokens} read the local
 * replica's tokens, {@code DELETE /v1/acl/token/{id}} deletes one. The secret of a new token is
 * made here, by this agent, from the platform's cryptographically strong generator ({@link
 * UUID#randomUUID}, a SecureRandom), shown once in the answer, and only its SHA-256 is committed:
 * no log entry, snapshot or replica holds it. {@link RouteAccess} has checked the caller before any
 * of these runs. Runs on the HTTP event loop.
 */
final class AclHandlers {

  private final AgentOperations agent;
  private final ApiAcl acl;

  AclHandlers(AgentOperations agent, ApiAcl acl) {
    this.agent = agent;
    this.acl = acl;
  }

  /** {@code PUT /v1/acl/token}: answers the new token with its {@code SecretID}. */
  void create(ApiRequest request) {
    requireEnabled();
    AclJson.TokenRequest asked = AclJson.tokenRequest(request.body());
    String secret = UUID.randomUUID().toString();
    AclToken token =
        new AclToken(
            UUID.randomUUID().toString(),
            AclSecrets.sha256(secret),
            asked.description(),
            asked.management(),
            asked.rules(),
            0,
            0);
    String problem = AclFieldRules.problem(token);
    if (problem != null) {
      throw ApiException.badRequest("bad_token", problem);
    }
    ControlAnswers.onCompletion(
        request,
        agent.control().submit(new ControlCommand.AclTokenUpsert(token), ApiAcl.presented(request)),
        "acl_failed",
        result -> {
          if (result instanceof ApplyResult.Refused refused) {
            throw ControlAnswers.refused(refused);
          }
          AclToken created = token.committed(null, result.index());
          request.json(200, AclJson.token(created, secret));
        });
  }

  /** {@code GET /v1/acl/token/{id}}. */
  void read(ApiRequest request) {
    requireEnabled();
    request.json(200, AclJson.token(known(request.pathParam("id")), null));
  }

  /** {@code GET /v1/acl/token/self}: the token the request presented. */
  void self(ApiRequest request) {
    requireEnabled();
    request.json(200, AclJson.token(request.caller().token(), null));
  }

  /** {@code GET /v1/acl/tokens}: every committed token, by accessor id, without secrets. */
  void list(ApiRequest request) {
    requireEnabled();
    request.json(200, AclJson.tokens(agent.control().view().acl().all()));
  }

  /** {@code DELETE /v1/acl/token/{id}}: answers {@code true}, as Consul does. */
  void delete(ApiRequest request) {
    requireEnabled();
    AclToken token = known(request.pathParam("id"));
    ControlAnswers.onCompletion(
        request,
        agent
            .control()
            .submit(
                new ControlCommand.AclTokenDelete(token.accessorId()), ApiAcl.presented(request)),
        "acl_failed",
        result -> {
          if (result instanceof ApplyResult.Refused refused) {
            throw ControlAnswers.refused(refused);
          }
          request.json(200, ControlJson.bool(true));
        });
  }

  private AclToken known(String accessorId) {
    AclToken token = agent.control().view().acl().byAccessor(accessorId);
    if (token == null) {
      throw new ApiException(
          404, "acl_not_found", "no token has accessor id '" + shown(accessorId) + "'");
    }
    return token;
  }

  /**
   * Tokens are managed only through an agent that enforces them: one with ACLs disabled lets anyone
   * on its port in, and must not hand out tokens that other agents honour.
   */
  private void requireEnabled() {
    if (!acl.enabled()) {
      throw ApiException.badRequest(
          "acl_disabled",
          "ACLs are disabled on this agent: enable them (acl_enabled) to use tokens");
    }
  }

  private static String shown(String text) {
    return text.length() > 64 ? text.substring(0, 64) + "..." : text.replaceAll("\\p{Cntrl}", "?");
  }
}
