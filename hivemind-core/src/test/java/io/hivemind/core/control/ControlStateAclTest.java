package io.hivemind.core.control;

import static io.hivemind.core.control.ControlStateTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.acl.AclRule;
import io.hivemind.core.acl.AclSecrets;
import io.hivemind.core.acl.AclToken;
import io.hivemind.core.wire.proto.WireAclToken;
import io.hivemind.core.wire.proto.WireAclTokenUpsert;
import io.hivemind.core.wire.proto.WireEntry;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** ACL tokens in the replicated state: upsert, delete, refusals, snapshots and the wire. */
class ControlStateAclTest {

  private static final String WEB = "0b6f6a5e-2f1d-4c2a-9a51-000000000001";
  private static final String OPS = "0b6f6a5e-2f1d-4c2a-9a51-000000000002";

  private final ControlLog log = ControlLog.bootstrapped();

  static AclToken token(String accessor, String secret, AclRule... rules) {
    return new AclToken(accessor, AclSecrets.sha256(secret), "d", false, List.of(rules), 0, 0);
  }

  private static AclRule webWrite() {
    return new AclRule(AclResource.SERVICE, "web", AclAccess.WRITE);
  }

  @Test
  void upsert_createsThenReplaces_keepingTheCreateIndex() {
    log.apply(new ControlCommand.AclTokenUpsert(token(WEB, "s1", webWrite()))); // index 2
    AclToken replaced = token(WEB, "s1");
    log.apply(new ControlCommand.AclTokenUpsert(replaced)); // index 3

    AclToken held = log.state.view().acl().byAccessor(WEB);
    assertThat(held.createIndex()).isEqualTo(2);
    assertThat(held.modifyIndex()).isEqualTo(3);
    assertThat(held.rules()).isEmpty();
    assertThat(log.state.view().acl().bySecretHash(AclSecrets.sha256("s1"))).isEqualTo(held);
  }

  @Test
  void upsert_anotherTokensSecret_refusedAndNothingChanges() {
    log.apply(new ControlCommand.AclTokenUpsert(token(WEB, "same")));
    ControlView before = log.state.view();

    ApplyResult result = log.apply(new ControlCommand.AclTokenUpsert(token(OPS, "same")));

    assertRefused(log.state, result, RefusalCode.INVALID, before);
    assertThat(log.state.view().acl().byAccessor(OPS)).isNull();
  }

  @Test
  void upsert_breakingAFieldRule_refusedInvalid() {
    ControlView before = log.state.view();
    AclToken bad =
        new AclToken(WEB, "not-a-hash", "", false, List.of(), 0, 0); // a secret, not its hash

    assertRefused(
        log.state, log.apply(new ControlCommand.AclTokenUpsert(bad)), RefusalCode.INVALID, before);
  }

  @Test
  void delete_removesTheToken_andAnAbsentOneIsNoError() {
    log.apply(new ControlCommand.AclTokenUpsert(token(WEB, "s1")));

    assertThat(log.apply(new ControlCommand.AclTokenDelete(WEB)))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(log.apply(new ControlCommand.AclTokenDelete(WEB)))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(log.state.view().acl().size()).isZero();
    assertThat(log.state.view().acl().bySecretHash(AclSecrets.sha256("s1"))).isNull();
  }

  @Test
  void snapshot_roundTripsTheTokens_withoutAnySecret() throws ControlDecodeException {
    log.apply(new ControlCommand.AclTokenUpsert(token(WEB, "secret-web", webWrite())));
    log.apply(new ControlCommand.AclTokenUpsert(token(OPS, "secret-ops")));

    byte[] bytes = WireControlCodec.encodeSnapshot(log.state.snapshot());
    ControlSnapshot decoded = WireControlCodec.decodeSnapshot(bytes);
    ControlState restored = ControlState.restore(decoded, RemovalPolicy.DEFAULT);

    assertThat(restored.view()).isEqualTo(log.state.view());
    assertThat(List.copyOf(restored.view().acl().all()))
        .containsExactlyElementsOf(log.state.view().acl().all());
    assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("secret-web")
        .contains(AclSecrets.sha256("secret-web"));
  }

  @Test
  void replay_reachesTheSameTokens() {
    log.apply(new ControlCommand.AclTokenUpsert(token(WEB, "s1", webWrite())));
    log.apply(new ControlCommand.AclTokenDelete(WEB));
    log.apply(new ControlCommand.AclTokenUpsert(token(OPS, "s2")));
    ControlState other = ControlState.empty(RemovalPolicy.DEFAULT);

    log.replay(other);

    assertThat(other.view()).isEqualTo(log.state.view());
  }

  @Test
  void entries_roundTripThroughTheWire() throws ControlDecodeException {
    for (ControlCommand command :
        List.of(
            new ControlCommand.AclTokenUpsert(token(WEB, "s", webWrite())),
            new ControlCommand.AclTokenDelete(WEB))) {
      ControlEntry entry = ControlEntry.of(5, command);
      assertThat(WireControlCodec.decodeEntry(WireControlCodec.encodeEntry(entry)))
          .isEqualTo(entry);
    }
  }

  @Test
  void entry_unknownRuleNames_refused() {
    WireAclToken token =
        WireControlEncoder.entry(
                ControlEntry.of(5, new ControlCommand.AclTokenUpsert(token(WEB, "s", webWrite()))))
            .getAclTokenUpsert()
            .getToken();
    WireAclToken unknown =
        token.toBuilder().setRules(0, token.getRules(0).toBuilder().setAccess("admin")).build();
    WireEntry entry =
        WireEntry.newBuilder()
            .setVersion(1)
            .setTimeMillis(5)
            .setAclTokenUpsert(WireAclTokenUpsert.newBuilder().setToken(unknown))
            .build();

    Assertions.assertThatThrownBy(() -> WireControlCodec.decodeEntry(entry.toByteArray()))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining("access 'admin' unknown");
  }

  @Test
  void snapshot_tokenModifiedAfterTheSnapshot_refused() {
    log.apply(new ControlCommand.AclTokenUpsert(token(WEB, "s1")));
    io.hivemind.core.wire.proto.WireSnapshot wire =
        WireControlEncoder.snapshot(log.state.snapshot(), WireControlCodec.SNAPSHOT_VERSION);
    io.hivemind.core.wire.proto.WireSnapshot late =
        wire.toBuilder()
            .setAclTokens(0, wire.getAclTokens(0).toBuilder().setModifyIndex(99))
            .build();

    Assertions.assertThatThrownBy(() -> WireControlCodec.decodeSnapshot(late.toByteArray()))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining("after the snapshot");
  }
}
