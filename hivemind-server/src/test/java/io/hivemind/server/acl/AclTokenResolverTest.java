package io.hivemind.server.acl;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclPolicy;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.acl.AclRule;
import io.hivemind.core.acl.AclSecrets;
import io.hivemind.core.acl.AclToken;
import io.hivemind.core.acl.AclTokens;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.ExternalCatalog;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The resolution the HTTP API and the session port share: configured, committed, deleted. */
class AclTokenResolverTest {

  private static final String ROOT = "root-secret-0123456789";
  private static final String WEB = "web-secret-0123456789";
  private static final AclToken WEB_TOKEN =
      new AclToken(
          "0b6f6a5e-2f1d-4c2a-9a51-000000000003",
          AclSecrets.sha256(WEB),
          "",
          false,
          List.of(new AclRule(AclResource.SERVICE, "web", AclAccess.WRITE)),
          2,
          2);

  private final AtomicReference<ControlView> view =
      new AtomicReference<>(view(AclTokens.of(List.of(WEB_TOKEN))));
  private final AclTokenResolver resolver =
      new AclTokenResolver(true, AclPolicy.DENY, ROOT, view::get);

  private static ControlView view(AclTokens tokens) {
    return new ControlView(
        1,
        1,
        "c",
        "testing",
        List.of(),
        new TreeMap<>(),
        List.of(),
        1,
        ExternalCatalog.EMPTY,
        tokens,
        Optional.empty());
  }

  @Test
  void initialManagementToken_resolvesToManagement() {
    AclToken token = resolver.resolve(ROOT);
    assertThat(token.management()).isTrue();
    assertThat(token.accessorId()).isEqualTo(AclTokenResolver.INITIAL_MANAGEMENT_ACCESSOR);
  }

  @Test
  void committedToken_resolves_untilDeleted() {
    assertThat(resolver.resolve(WEB)).isEqualTo(WEB_TOKEN);
    view.set(view(AclTokens.of(List.of())));
    assertThat(resolver.resolve(WEB)).isNull();
  }

  @Test
  void unknownSecret_resolvesToNothing_andAuthorizerUsesTheDefaultPolicy() {
    assertThat(resolver.resolve("nobody")).isNull();
    assertThat(resolver.authorizer().defaultPolicy()).isEqualTo(AclPolicy.DENY);
    assertThat(resolver.enabled()).isTrue();
    assertThat(AclTokenResolver.disabled().enabled()).isFalse();
  }
}
