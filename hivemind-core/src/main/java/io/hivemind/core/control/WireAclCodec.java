package io.hivemind.core.control;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclFieldRules;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.acl.AclRule;
import io.hivemind.core.acl.AclToken;
import io.hivemind.core.acl.AclTokens;
import io.hivemind.core.wire.proto.WireAclRule;
import io.hivemind.core.wire.proto.WireAclToken;
import io.hivemind.core.wire.proto.WireAclTokenDelete;
import io.hivemind.core.wire.proto.WireAclTokenUpsert;
import java.util.ArrayList;
import java.util.List;

/**
 * The ACL part of control.proto (numbers 30-39): tokens and their rules to and from records. A
 * decoded token has passed {@link AclFieldRules}; a resource or access name this version does not
 * know is refused, not guessed.
 *
 * <p>Stateless.
 */
final class WireAclCodec {

  private WireAclCodec() {}

  static WireAclTokenUpsert upsert(ControlCommand.AclTokenUpsert upsert) {
    return WireAclTokenUpsert.newBuilder().setToken(token(upsert.token())).build();
  }

  static WireAclTokenDelete delete(ControlCommand.AclTokenDelete delete) {
    return WireAclTokenDelete.newBuilder().setAccessorId(delete.accessorId()).build();
  }

  static ControlCommand upsert(WireAclTokenUpsert wire) throws ControlDecodeException {
    if (!wire.hasToken()) {
      throw new ControlDecodeException("token upsert without a token");
    }
    return new ControlCommand.AclTokenUpsert(token(wire.getToken()));
  }

  static ControlCommand delete(WireAclTokenDelete wire) {
    return new ControlCommand.AclTokenDelete(wire.getAccessorId());
  }

  static WireAclToken token(AclToken token) {
    WireAclToken.Builder wire =
        WireAclToken.newBuilder()
            .setAccessorId(token.accessorId())
            .setSecretSha256(token.secretSha256())
            .setDescription(token.description())
            .setManagement(token.management())
            .setCreateIndex(token.createIndex())
            .setModifyIndex(token.modifyIndex());
    for (AclRule rule : token.rules()) {
      wire.addRules(
          WireAclRule.newBuilder()
              .setResource(rule.resource().ruleName())
              .setPrefix(rule.prefix())
              .setAccess(rule.access().ruleName()));
    }
    return wire.build();
  }

  static AclToken token(WireAclToken wire) throws ControlDecodeException {
    if (wire.getRulesCount() > AclFieldRules.MAX_RULES) {
      throw new ControlDecodeException(wire.getRulesCount() + " rules in a token");
    }
    List<AclRule> rules = new ArrayList<>(wire.getRulesCount());
    for (WireAclRule rule : wire.getRulesList()) {
      rules.add(rule(rule));
    }
    AclToken token =
        new AclToken(
            wire.getAccessorId(),
            wire.getSecretSha256(),
            wire.getDescription(),
            wire.getManagement(),
            rules,
            wire.getCreateIndex(),
            wire.getModifyIndex());
    WireControlDecoder.check(AclFieldRules.problem(token));
    return token;
  }

  private static AclRule rule(WireAclRule wire) throws ControlDecodeException {
    AclResource resource =
        AclResource.ofRuleName(wire.getResource())
            .orElseThrow(() -> unknown("resource", wire.getResource()));
    AclAccess access =
        AclAccess.ofRuleName(wire.getAccess())
            .orElseThrow(() -> unknown("access", wire.getAccess()));
    return new AclRule(resource, wire.getPrefix(), access);
  }

  private static ControlDecodeException unknown(String what, String name) {
    return new ControlDecodeException(
        "ACL rule " + what + " " + ControlFieldRules.shown(name) + " unknown");
  }

  /** A snapshot's tokens, checked: each valid, none modified after the snapshot, none twice. */
  static AclTokens tokens(List<WireAclToken> wire, long index) throws ControlDecodeException {
    if (wire.size() > AclFieldRules.MAX_TOKENS) {
      throw new ControlDecodeException(wire.size() + " tokens in a snapshot");
    }
    List<AclToken> tokens = new ArrayList<>(wire.size());
    for (WireAclToken record : wire) {
      AclToken token = token(record);
      if (token.modifyIndex() > index || token.createIndex() > token.modifyIndex()) {
        throw new ControlDecodeException(
            "token " + token.accessorId() + " with indexes after the snapshot's");
      }
      tokens.add(token);
    }
    try {
      return AclTokens.of(tokens);
    } catch (IllegalArgumentException e) {
      throw new ControlDecodeException("snapshot tokens: " + e.getMessage());
    }
  }
}
