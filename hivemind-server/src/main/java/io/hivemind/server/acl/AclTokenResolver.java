package io.hivemind.server.acl;

import io.hivemind.core.acl.AclAuthorizer;
import io.hivemind.core.acl.AclPolicy;
import io.hivemind.core.acl.AclSecrets;
import io.hivemind.core.acl.AclToken;
import io.hivemind.core.acl.AclTokens;
import io.hivemind.core.control.ControlView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a presented secret stands for: the initial management token of the configuration or a
 * committed token of the control plane's published view, or nothing. The HTTP API and the catalogue
 * session port each hold one, so both resolve and authorize alike (docs/acl.md).
 *
 * <p>Cheap, since every request asks (lookups run at 50,000/s): the SHA-256 of a secret and its
 * lookup are cached per published token set ({@link AclTokens} is replaced on every token change,
 * so identity says when to drop the cache, and a deleted token stops working at once), and the
 * cache is bounded so a flood of random secrets cannot grow it.
 *
 * <p>Not thread-safe: each owner (the API's event loop, the agent's gossip loop) has its own.
 */
public final class AclTokenResolver {

  /** Accessor id of the configured initial management token; never a generated one (UUID v4). */
  public static final String INITIAL_MANAGEMENT_ACCESSOR = "00000000-0000-0000-0000-000000000001";

  /** Secrets remembered per token set; a full cache starts again. */
  public static final int MAX_CACHED = 4096;

  private static final AclToken UNKNOWN =
      new AclToken("unknown", "unknown", "", false, List.of(), 0, 0);

  private final boolean enabled;
  private final AclAuthorizer authorizer;
  private final Supplier<ControlView> views;
  private final String managementHash;
  private final Map<String, AclToken> cache = new HashMap<>();
  private AclTokens cachedFor;

  /**
   * @param enabled whether ACLs are enforced at all
   * @param defaultPolicy what a request no rule decides gets
   * @param initialManagementToken the configured bootstrap secret, or null
   * @param views the control plane's published view, whose tokens are the committed ones
   */
  public AclTokenResolver(
      boolean enabled,
      AclPolicy defaultPolicy,
      String initialManagementToken,
      Supplier<ControlView> views) {
    this.enabled = enabled;
    this.authorizer = new AclAuthorizer(Objects.requireNonNull(defaultPolicy, "defaultPolicy"));
    this.views = Objects.requireNonNull(views, "views");
    this.managementHash =
        initialManagementToken == null ? null : AclSecrets.sha256(initialManagementToken);
  }

  /** No ACLs: {@link #enabled()} is false and nothing resolves. */
  public static AclTokenResolver disabled() {
    return new AclTokenResolver(false, AclPolicy.ALLOW, null, () -> null);
  }

  public boolean enabled() {
    return enabled;
  }

  /** Decides for a resolved token (or null for none) under the configured default policy. */
  public AclAuthorizer authorizer() {
    return authorizer;
  }

  /** The token {@code secret} stands for, or null when no token has it. */
  public AclToken resolve(String secret) {
    Objects.requireNonNull(secret, "secret");
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
}
