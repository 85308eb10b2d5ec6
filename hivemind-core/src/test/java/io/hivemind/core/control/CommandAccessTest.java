package io.hivemind.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclAuthorizer;
import io.hivemind.core.acl.AclPolicy;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.acl.AclRule;
import io.hivemind.core.acl.AclToken;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A control node checks a follower's KV, ACL and event commands against the token of the request
 * they were made for, with the HTTP API's rules: key write (under the key for a recursive delete),
 * acl write, operator write.
 */
class CommandAccessTest {

  private static final AclAuthorizer DENY_BY_DEFAULT = new AclAuthorizer(AclPolicy.DENY);

  private static AclToken token(AclRule... rules) {
    return new AclToken("accessor", "hash", "", false, List.of(rules), 1, 1);
  }

  private static final AclToken APP_WRITER =
      token(
          new AclRule(AclResource.KEY, "app/", AclAccess.WRITE),
          new AclRule(AclResource.KEY, "app/secret", AclAccess.DENY));

  @Test
  void kvWrite_withinTheTokensPrefix_passes_elsewhere_refusedNamingTheKey() {
    assertThat(refusal(ControlLog.kvSet("app/color", "blue", -1), APP_WRITER)).isEmpty();

    assertThat(refusal(ControlLog.kvSet("ops/color", "blue", -1), APP_WRITER))
        .hasValueSatisfying(r -> assertThat(r).contains("may not write key 'ops/color'"));
  }

  @Test
  void recursiveDelete_needsEveryKeyUnderIt() {
    assertThat(refusal(new ControlCommand.KvDelete("app/color", true, -1), APP_WRITER)).isEmpty();

    assertThat(refusal(new ControlCommand.KvDelete("app/", true, -1), APP_WRITER))
        .hasValueSatisfying(r -> assertThat(r).contains("'app/' and under it"));
    assertThat(refusal(new ControlCommand.KvDelete("app/", false, -1), APP_WRITER)).isEmpty();
  }

  @Test
  void aclTokenCommands_needAclWrite_soAKeyWriterCannotMintAManagementToken() {
    AclToken minted = new AclToken("new", "hash2", "", true, List.of(), 0, 0);

    assertThat(refusal(new ControlCommand.AclTokenUpsert(minted), APP_WRITER))
        .hasValueSatisfying(r -> assertThat(r).contains("may not write acl"));
    assertThat(refusal(new ControlCommand.AclTokenDelete("new"), null))
        .hasValueSatisfying(r -> assertThat(r).startsWith("a request without a token"));
    AclToken management = new AclToken("m", "hash3", "", true, List.of(), 1, 1);
    assertThat(refusal(new ControlCommand.AclTokenUpsert(minted), management)).isEmpty();
  }

  @Test
  void event_needsOperatorWrite() {
    ControlCommand fire = new ControlCommand.AppendEvent("deploy", "n1", new byte[0]);

    assertThat(refusal(fire, APP_WRITER)).isPresent();
    assertThat(refusal(fire, token(new AclRule(AclResource.OPERATOR, "", AclAccess.WRITE))))
        .isEmpty();
  }

  @Test
  void catalogueRegister_needsTheNode_andTheServiceItNames() {
    ControlCommand.CatalogRegister register =
        ControlStateCatalogTest.register("ext-node", "billing", "billing-1", "passing");
    AclToken nodeOnly = token(new AclRule(AclResource.NODE, "ext-", AclAccess.WRITE));
    AclToken both =
        token(
            new AclRule(AclResource.NODE, "ext-", AclAccess.WRITE),
            new AclRule(AclResource.SERVICE, "bill", AclAccess.WRITE));

    assertThat(refusal(register, nodeOnly))
        .hasValueSatisfying(r -> assertThat(r).contains("service 'billing'"));
    assertThat(refusal(register, both)).isEmpty();
    assertThat(refusal(register, null)).isPresent();
  }

  @Test
  void catalogueDeregister_needsTheNode() {
    ControlCommand deregister = new ControlCommand.CatalogDeregister("ext-node", "billing-1", "");

    assertThat(refusal(deregister, token(new AclRule(AclResource.NODE, "ext-", AclAccess.WRITE))))
        .isEmpty();
    assertThat(refusal(deregister, APP_WRITER))
        .hasValueSatisfying(r -> assertThat(r).contains("node 'ext-node'"));
  }

  @Test
  void theDefaultPolicyDecidesWhereNoRuleDoes() {
    assertThat(
            CommandAccess.refusal(
                ControlLog.kvSet("any", "v", -1), null, new AclAuthorizer(AclPolicy.ALLOW)))
        .isEmpty();
    assertThat(refusal(ControlLog.kvSet("any", "v", -1), null)).isPresent();
  }

  @Test
  void membersCommands_areNotATokensToDecide() {
    assertThat(CommandAccess.of(ControlLog.admit("id-a", "a"))).isEmpty();
    assertThat(refusal(ControlLog.remove("id-a", RemovalReason.LEFT), null)).isEmpty();
  }

  private static java.util.Optional<String> refusal(ControlCommand command, AclToken token) {
    return CommandAccess.refusal(command, token, DENY_BY_DEFAULT);
  }
}
