package io.hivemind.core.control;

import static io.hivemind.core.control.ControlLog.admit;
import static io.hivemind.core.control.ControlLog.bytes;
import static io.hivemind.core.control.ControlLog.kvSet;
import static io.hivemind.core.control.ControlStateTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Consul's sessions and locks on the replicated state: acquire and release, the lock index, the
 * ends of a session (destroyed, expired, its member gone) and what each does to the keys, lock
 * delays, and the TTL clock across an outage.
 */
class ControlStateSessionTest {

  private static final String S1 = "11111111-1111-1111-1111-111111111111";
  private static final String S2 = "22222222-2222-2222-2222-222222222222";

  private final ControlLog log = ControlLog.bootstrapped();

  ControlStateSessionTest() {
    log.apply(admit("id-a", "node-a")); // index 2
    log.apply(admit("id-b", "node-b")); // index 3
  }

  private static ControlCommand.SessionCreate session(String id, String node, long ttlMillis) {
    return new ControlCommand.SessionCreate(
        id, "", node, SessionBehavior.RELEASE, ttlMillis, 15_000);
  }

  private static ControlCommand.KvLock acquire(String key, String value, String session) {
    return new ControlCommand.KvLock(key, bytes(value), 0, session, true);
  }

  private static ControlCommand.KvLock release(String key, String session) {
    return new ControlCommand.KvLock(key, bytes("released"), 0, session, false);
  }

  private KvEntry entry(String key) {
    return log.state.view().kv().get(key);
  }

  private boolean applied(ControlCommand command) {
    return log.apply(command) instanceof ApplyResult.Applied;
  }

  @Test
  void create_bindsTheSessionToAnAdmittedMember_atItsIndex() {
    assertThat(applied(session(S1, "node-a", 0))).isTrue();

    Session created = log.state.view().sessions().get(S1);
    assertThat(created.node()).isEqualTo("node-a");
    assertThat(created.createIndex()).isEqualTo(4);
    assertThat(created.renewedAtMillis()).isEqualTo(log.timeMillis);
    ControlView before = log.state.view();
    assertRefused(
        log.state, log.apply(session(S2, "nobody", 0)), RefusalCode.UNKNOWN_MEMBER, before);
    assertRefused(log.state, log.apply(session(S1, "node-b", 0)), RefusalCode.INVALID, before);
  }

  @Test
  void acquire_takesAFreeKey_raisesTheLockIndexOnlyForANewHolder() {
    log.apply(session(S1, "node-a", 0));
    log.apply(session(S2, "node-b", 0));

    assertThat(applied(acquire("lead", "a", S1))).isTrue();
    assertThat(entry("lead").session()).isEqualTo(S1);
    assertThat(entry("lead").lockIndex()).isEqualTo(1);
    assertThat(applied(acquire("lead", "a again", S1))).isTrue(); // the holder: value only
    assertThat(entry("lead").lockIndex()).isEqualTo(1);
    assertThat(entry("lead").value()).isEqualTo(bytes("a again"));

    ControlView before = log.state.view();
    assertRefused(log.state, log.apply(acquire("lead", "b", S2)), RefusalCode.LOCK_REFUSED, before);
    assertRefused(log.state, log.apply(release("lead", S2)), RefusalCode.LOCK_REFUSED, before);

    assertThat(applied(release("lead", S1))).isTrue();
    assertThat(entry("lead").locked()).isFalse();
    assertThat(entry("lead").lockIndex()).isEqualTo(1);
    assertThat(applied(acquire("lead", "b", S2))).isTrue();
    assertThat(entry("lead").lockIndex()).isEqualTo(2);
  }

  @Test
  void lock_withAnUnknownSession_isRefused() {
    ControlView before = log.state.view();

    assertRefused(log.state, log.apply(acquire("k", "v", S1)), RefusalCode.NO_SESSION, before);
  }

  @Test
  void plainWrite_keepsTheLock() {
    log.apply(session(S1, "node-a", 0));
    log.apply(acquire("k", "v", S1));

    log.apply(kvSet("k", "written", -1));

    assertThat(entry("k").session()).isEqualTo(S1);
    assertThat(entry("k").value()).isEqualTo(bytes("written"));
  }

  @Test
  void destroy_releasesItsKeys_andTheLockDelayKeepsOthersOutForItsLength() {
    log.apply(session(S1, "node-a", 0));
    log.apply(session(S2, "node-b", 0));
    log.apply(acquire("k", "v", S1));

    assertThat(applied(new ControlCommand.SessionDestroy(S1, "node-a"))).isTrue();

    assertThat(entry("k").locked()).isFalse();
    assertThat(entry("k").value()).isEqualTo(bytes("v"));
    assertThat(log.state.view().sessions().get(S1)).isNull();
    // Each entry is a second later: 14 more seconds of the 15 s delay, then the key is free.
    for (int second = 1; second < 15; second++) {
      assertThat(log.apply(acquire("k", "b", S2)))
          .as("second %d", second)
          .isInstanceOf(ApplyResult.Refused.class);
    }
    assertThat(applied(acquire("k", "b", S2))).isTrue();
  }

  @Test
  void destroy_ofADeleteSession_deletesItsKeys_andOfAnAbsentOne_succeeds() {
    log.apply(new ControlCommand.SessionCreate(S1, "eph", "node-a", SessionBehavior.DELETE, 0, 0));
    log.apply(acquire("ephemeral", "v", S1));
    log.apply(kvSet("other", "v", -1));

    assertThat(applied(new ControlCommand.SessionDestroy(S1, "node-a"))).isTrue();
    assertThat(applied(new ControlCommand.SessionDestroy(S1, "node-a"))).isTrue();

    assertThat(log.state.view().kv()).containsOnlyKeys("other");
  }

  @Test
  void destroyOrRenew_namingAnotherNode_isRefused() {
    log.apply(session(S1, "node-a", 0));
    ControlView before = log.state.view();

    assertRefused(
        log.state,
        log.apply(new ControlCommand.SessionDestroy(S1, "node-b")),
        RefusalCode.NO_SESSION,
        before);
    assertRefused(
        log.state,
        log.apply(new ControlCommand.SessionRenew(S1, "node-b")),
        RefusalCode.NO_SESSION,
        before);
    assertThat(log.state.view().sessions().get(S1)).isNotNull();
  }

  @Test
  void memberRemoval_endsItsSessions_andOnlyThose() {
    log.apply(session(S1, "node-a", 0));
    log.apply(session(S2, "node-b", 0));
    log.apply(acquire("a", "v", S1));
    log.apply(acquire("b", "v", S2));

    log.apply(ControlLog.remove("id-a", RemovalReason.FAILED));

    assertThat(log.state.view().sessions().sessions()).containsOnlyKeys(S2);
    assertThat(entry("a").locked()).isFalse();
    assertThat(entry("b").session()).isEqualTo(S2);
  }

  @Test
  void ttl_expiresAtATickAfterTwiceItsTtlWithoutRenewal_andARenewalPostponesIt() {
    log.apply(session(S1, "node-a", 10_000)); // at t0
    log.apply(acquire("k", "v", S1)); // t0 + 1 s
    assertThat(log.state.sessionsExpire()).isTrue();

    for (int i = 0; i < 8; i++) {
      log.apply(new ControlCommand.Tick()); // up to t0 + 9 s
    }
    assertThat(applied(new ControlCommand.SessionRenew(S1, "node-a"))).isTrue(); // t0 + 10 s
    for (int i = 0; i < 20; i++) {
      log.apply(new ControlCommand.Tick()); // up to t0 + 30 s: 20 s after the renewal
    }
    assertThat(log.state.view().sessions().get(S1)).isNotNull();

    log.apply(new ControlCommand.Tick()); // 21 s after it: more than twice the TTL

    assertThat(log.state.view().sessions().get(S1)).isNull();
    assertThat(entry("k").locked()).isFalse();
    assertThat(log.state.sessionsExpire()).isFalse();
  }

  @Test
  void ttl_doesNotCountTimeWithoutEntries_anOutage() {
    log.apply(session(S1, "node-a", 10_000));
    log.timeMillis += 60_000; // a minute without a leader: no entry, no tick

    log.apply(new ControlCommand.Tick());

    assertThat(log.state.view().sessions().get(S1)).isNotNull();
    for (int i = 0; i < 25; i++) {
      log.apply(new ControlCommand.Tick());
    }
    assertThat(log.state.view().sessions().get(S1)).isNull();
  }

  @Test
  void replicas_replayingTheLog_andOneRestoredFromASnapshot_agree() throws Exception {
    log.apply(session(S1, "node-a", 10_000));
    log.apply(
        new ControlCommand.SessionCreate(S2, "two", "node-b", SessionBehavior.DELETE, 0, 5_000));
    log.apply(acquire("k1", "v", S1));
    log.apply(acquire("k2", "v", S2));
    log.apply(new ControlCommand.SessionDestroy(S2, "node-b")); // a lock delay on k2 stands

    ControlState replayed = ControlState.empty(RemovalPolicy.DEFAULT);
    log.replay(replayed);
    ControlState restored =
        ControlState.restore(
            WireControlCodec.decodeSnapshot(WireControlCodec.encodeSnapshot(log.state.snapshot())),
            RemovalPolicy.DEFAULT);

    assertThat(replayed.view()).isEqualTo(log.state.view());
    assertThat(restored.view().sessions()).isEqualTo(log.state.view().sessions());
    assertThat(restored.view().kv()).isEqualTo(log.state.view().kv());
    assertThat(log.state.view().sessions().lockDelayUntil("k2")).isPositive();
  }

  @Test
  void commands_surviveTheirEncoding() throws Exception {
    for (ControlCommand command :
        new ControlCommand[] {
          session(S1, "node-a", 30_000),
          new ControlCommand.SessionRenew(S1, "node-a"),
          new ControlCommand.SessionDestroy(S1, "node-a"),
          acquire("k", "v", S1),
          release("k", S1)
        }) {
      ControlEntry entry = ControlEntry.of(ControlLog.START_MILLIS, command);
      assertThat(WireControlCodec.decodeEntry(WireControlCodec.encodeEntry(entry)))
          .isEqualTo(entry);
    }
  }

  @Test
  void fieldRules_refuseATtlOutsideConsulsRange_andALongLockDelay() {
    assertThat(ControlFieldRules.commandProblem(session(S1, "node-a", 5_000))).contains("TTL");
    assertThat(
            ControlFieldRules.commandProblem(
                new ControlCommand.SessionCreate(
                    S1, "", "node-a", SessionBehavior.RELEASE, 0, 61_000)))
        .contains("lock delay");
    assertThat(ControlFieldRules.commandProblem(session("", "node-a", 0))).contains("session id");
    assertThat(ControlFieldRules.commandProblem(session(S1, "node-a", 86_400_000))).isNull();
  }
}
