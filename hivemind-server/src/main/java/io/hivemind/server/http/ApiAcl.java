package io.hivemind.server.http;

import io.hivemind.core.acl.AclAuthorizer;
import io.hivemind.core.acl.AclSecrets;
import io.hivemind.core.acl.AclToken;
import io.hivemind.core.acl.AclTokens;
import io.hivemind.core.control.ControlView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Resolves a request's token: the secret from {@code X-Consul-Token}, {@code Authorization: Bearer}
 * or {@code ?token=} (in that order; Spring Cloud Consul sends the last), to the initial management
 * token of the configuration or a committed token of the control plane's published view. A secret
 * that resolves to nothing is refused (403 {@code acl_denied}) whatever the default policy, as
 * Consul refuses an unknown token: a typo must not silently fall back to anonymous access.
 *
 * <p>Cheap, since every request asks (lookups run at 50,000/s): the SHA-256 of a secret and its
 * lookup are cached per published token set ({@link AclTokens} is replaced on every token change,
 * so identity says when to drop the cache), and the cache is bounded so a flood of random secrets
 * cannot grow it.
 *
 * <p>Owning thread: the API's one event loop (every request runs there).
 */
final class ApiAcl {

  /** Accessor id of the configured initial management token; never a generated one (UUID v4). */
  static final String INITIAL_MANAGEMENT_ACCESSOR = "00000000-0000-0000-0000-000000000001";

  /** Secrets remembered per token set; a full cache starts again. */
  static final int MAX_CACHED = 4096;

  private static final AclToken UNKNOWN =
      new AclToken("unknown", "unknown", "", false, List.of(), 0, 0);

  private final AclConfig config;
  private final AclAuthorizer authorizer;
  private final Supplier<ControlView> views;
  private final String managementHash;
  private final Map<String, AclToken> cache = new HashMap<>();
  private AclTokens cachedFor;

  ApiAcl(AclConfig config, Supplier<ControlView> views) {
    this.config = config;
    this.authorizer = new AclAuthorizer(config.defaultPolicy());
    this.views = views;
    String management = config.initialManagementToken();
    this.managementHash = management == null ? null : AclSecrets.sha256(management);
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
      return new ApiCaller(authorizer, null, true);
    }
    AclToken token = resolve(secret);
    if (token == null) {
      throw ApiCaller.denied("the token presented is not known to this cluster (ACL not found)");
    }
    return new ApiCaller(authorizer, token, true);
  }

  /** The token {@code secret} stands for, or null. */
  AclToken resolve(String secret) {
    AclTokens tokens = views.get().acl();
    if (tokens != cachedFor || cache.size() >= MAX_CACHED) {
      cache.clear();
      cachedFor = tokens;
    }
    AclToken token = cache.computeIfAbsent(secret, s -> lookUp(s, tokens));
    return token == UNKNOWN ? null : token;
  }

  private AclToken lookUp(String secret, AclTokens tokens) {
    String hash = AclSecrets.sha256(secret);
    if (managementHash != null && AclSecrets.sameHash(hash, managementHash)) {
      return new AclToken(
          INITIAL_MANAGEMENT_ACCESSOR,
          managementHash,
          "initial management token (configuration)",
          true,
          List.of(),
          0,
          0);
    }
    AclToken token = tokens.bySecretHash(hash);
    return token == null ? UNKNOWN : token;
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
