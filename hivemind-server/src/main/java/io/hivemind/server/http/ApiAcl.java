package io.hivemind.server.http;

import io.hivemind.core.acl.AclToken;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.server.acl.AclTokenResolver;
import java.util.function.Supplier;

/**
 * Resolves a request's token: the secret from {@code X-Consul-Token}, {@code Authorization: Bearer}
 * or {@code ?token=} (in that order; Spring Cloud Consul sends the last), to a token through the
 * agent's {@link AclTokenResolver} (the same resolution the catalogue session port uses). A secret
 * that resolves to nothing is refused (403 {@code acl_denied}) whatever the default policy, as
 * Consul refuses an unknown token: a typo must not silently fall back to anonymous access.
 *
 * <p>Owning thread: the API's one event loop (every request runs there).
 */
final class ApiAcl {

  private final AclConfig config;
  private final AclTokenResolver resolver;

  ApiAcl(AclConfig config, Supplier<ControlView> views) {
    this.config = config;
    this.resolver =
        new AclTokenResolver(
            config.enabled(), config.defaultPolicy(), config.initialManagementToken(), views);
  }

  /** No ACLs: every caller is unrestricted. */
  static ApiAcl disabled() {
    return new ApiAcl(AclConfig.DISABLED, () -> null);
  }

  boolean enabled() {
    return config.enabled();
  }

  /**
   * The caller of {@code request}.
   *
   * @throws ApiException 403 {@code acl_denied} for a secret no token has
   */
  ApiCaller caller(ApiRequest request) {
    if (!config.enabled()) {
      return ApiCaller.UNRESTRICTED;
    }
    String secret = secret(request);
    if (secret == null) {
      return new ApiCaller(resolver.authorizer(), null, true);
    }
    AclToken token = resolve(secret);
    if (token == null) {
      throw ApiCaller.denied("the token presented is not known to this cluster (ACL not found)");
    }
    return new ApiCaller(resolver.authorizer(), token, true);
  }

  /** The token {@code secret} stands for, or null. */
  AclToken resolve(String secret) {
    return resolver.resolve(secret);
  }

  /**
   * The presented secret, "" for none: what a follower passes on with a command it submits for
   * {@code request}, so the control node checks the request's access again (docs/acl.md).
   */
  static String presented(ApiRequest request) {
    String secret = secret(request);
    // Longer than any secret a token can have: with ACLs on the agent refused it already, without
    // them it means nothing, and the gateway refuses a frame that carries one.
    return secret == null || secret.length() > GatewayMessage.Submit.MAX_ACL_TOKEN_CHARS
        ? ""
        : secret;
  }

  /**
   * The presented secret, or null; an empty one counts as none (Consul's clients send "" unset).
   */
  static String secret(ApiRequest request) {
    String header = request.header("X-Consul-Token");
    if (header == null || header.isBlank()) {
      String authorization = request.header("Authorization");
      header =
          authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
              ? authorization.substring(7)
              : request.queryParam("token");
    }
    return header == null || header.isBlank() ? null : header.strip();
  }
}
