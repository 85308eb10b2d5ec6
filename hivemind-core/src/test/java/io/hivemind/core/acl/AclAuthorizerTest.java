package io.hivemind.core.acl;

import static io.hivemind.core.acl.AclAccess.DENY;
import static io.hivemind.core.acl.AclAccess.READ;
import static io.hivemind.core.acl.AclAccess.WRITE;
import static io.hivemind.core.acl.AclResource.KEY;
import static io.hivemind.core.acl.AclResource.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AclAuthorizerTest {

  private final AclAuthorizer deny = new AclAuthorizer(AclPolicy.DENY);
  private final AclAuthorizer allow = new AclAuthorizer(AclPolicy.ALLOW);

  static AclToken token(AclRule... rules) {
    return new AclToken(
        "6a1f0c1e-0000-4000-8000-000000000001",
        AclSecrets.sha256("secret"),
        "",
        false,
        List.of(rules),
        1,
        1);
  }

  @Test
  void anonymous_followsTheDefaultPolicy() {
    assertThat(deny.allows(null, SERVICE, "web", READ)).isFalse();
    assertThat(allow.allows(null, SERVICE, "web", WRITE)).isTrue();
  }

  @Test
  void management_mayDoEverything_whateverItsRules() {
    AclToken management =
        new AclToken(
            "6a1f0c1e-0000-4000-8000-000000000002",
            AclSecrets.sha256("m"),
            "",
            true,
            List.of(new AclRule(SERVICE, "", DENY)),
            1,
            1);

    assertThat(deny.allows(management, AclResource.ACL, "", WRITE)).isTrue();
    assertThat(deny.allows(management, SERVICE, "web", WRITE)).isTrue();
  }

  @Test
  void write_impliesRead_readDoesNotImplyWrite() {
    AclToken token = token(new AclRule(SERVICE, "web", WRITE), new AclRule(KEY, "app/", READ));

    assertThat(deny.allows(token, SERVICE, "web", READ)).isTrue();
    assertThat(deny.allows(token, SERVICE, "web", WRITE)).isTrue();
    assertThat(deny.allows(token, KEY, "app/x", READ)).isTrue();
    assertThat(deny.allows(token, KEY, "app/x", WRITE)).isFalse();
  }

  @Test
  void longestPrefix_wins_inBothDirections() {
    AclToken token =
        token(
            new AclRule(SERVICE, "", READ),
            new AclRule(SERVICE, "web", WRITE),
            new AclRule(SERVICE, "web-secret", DENY));

    assertThat(deny.allows(token, SERVICE, "db", READ)).isTrue();
    assertThat(deny.allows(token, SERVICE, "db", WRITE)).isFalse();
    assertThat(deny.allows(token, SERVICE, "web-1", WRITE)).isTrue();
    assertThat(deny.allows(token, SERVICE, "web-secret-2", READ)).isFalse();
  }

  @Test
  void samePrefix_theMostRestrictiveWins_whateverTheOrder() {
    AclToken token = token(new AclRule(SERVICE, "web", WRITE), new AclRule(SERVICE, "web", DENY));
    AclToken reversed =
        token(new AclRule(SERVICE, "web", DENY), new AclRule(SERVICE, "web", WRITE));

    assertThat(deny.allows(token, SERVICE, "web", READ)).isFalse();
    assertThat(deny.allows(reversed, SERVICE, "web", READ)).isFalse();
  }

  @Test
  void noMatchingRule_theDefaultPolicyDecides() {
    AclToken token = token(new AclRule(SERVICE, "web", WRITE));

    assertThat(deny.allows(token, SERVICE, "db", READ)).isFalse();
    assertThat(allow.allows(token, SERVICE, "db", WRITE)).isTrue();
    assertThat(deny.allows(token, KEY, "web", READ)).isFalse(); // another resource's rule
  }

  @Test
  void denyRule_beatsAnAllowingDefaultPolicy() {
    AclToken token = token(new AclRule(KEY, "secret/", DENY));

    assertThat(allow.allows(token, KEY, "secret/a", READ)).isFalse();
    assertThat(allow.allows(token, KEY, "public/a", WRITE)).isTrue();
  }

  @Test
  void fieldRules_refuseBadTokensNamingTheField() {
    assertThat(AclFieldRules.problem(token())).isNull();
    AclToken badId = new AclToken("ABC", AclSecrets.sha256("s"), "", false, List.of(), 0, 0);
    AclToken badHash =
        new AclToken("6a1f0c1e-0000-4000-8000-000000000001", "secret", "", false, List.of(), 0, 0);
    AclToken badPrefix = token(new AclRule(SERVICE, "web\n", WRITE));

    assertThat(AclFieldRules.problem(badId)).contains("accessor id");
    assertThat(AclFieldRules.problem(badHash)).contains("secret hash");
    assertThat(AclFieldRules.problem(badPrefix)).contains("prefix").doesNotContain("\n");
  }

  @Test
  void sha256_isTheKnownDigest() {
    assertThat(AclSecrets.sha256("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(AclSecrets.sameHash(AclSecrets.sha256("a"), AclSecrets.sha256("a"))).isTrue();
    assertThat(AclSecrets.sameHash(AclSecrets.sha256("a"), AclSecrets.sha256("b"))).isFalse();
  }

  @Test
  void allowsUnder_aLongerDenyUnderThePrefix_refusesTheWholePrefix() {
    AclToken token = token(new AclRule(KEY, "app/", WRITE), new AclRule(KEY, "app/secret", DENY));

    assertThat(deny.allowsUnder(token, KEY, "app/", WRITE)).isFalse();
    assertThat(deny.allowsUnder(token, KEY, "app/public/", WRITE)).isTrue();
    assertThat(deny.allows(token, KEY, "app/", WRITE)).isTrue(); // the key itself
  }

  @Test
  void allowsUnder_aReadOnlyRuleUnderThePrefix_refusesAWriteButNotARead() {
    AclToken token = token(new AclRule(KEY, "", WRITE), new AclRule(KEY, "app/ro", READ));

    assertThat(deny.allowsUnder(token, KEY, "app/", WRITE)).isFalse();
    assertThat(deny.allowsUnder(token, KEY, "app/", READ)).isTrue();
    assertThat(deny.allowsUnder(null, KEY, "", READ)).isFalse();
  }
}
