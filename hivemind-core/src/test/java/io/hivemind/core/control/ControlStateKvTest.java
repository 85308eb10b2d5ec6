package io.hivemind.core.control;

import static io.hivemind.core.control.ControlLog.bytes;
import static io.hivemind.core.control.ControlLog.kvSet;
import static io.hivemind.core.control.ControlStateTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Consul's KV semantics on the replicated state: indexes, flags, cas, recursive delete. */
class ControlStateKvTest {

  private final ControlLog log = ControlLog.bootstrapped();

  private KvEntry entry(String key) {
    return log.state.view().kv().get(key);
  }

  @Test
  void set_unconditional_createsThenUpdates_keepingTheCreateIndex() {
    log.apply(new ControlCommand.KvSet("config/a", bytes("1"), 42, -1));
    log.apply(kvSet("config/a", "2", -1));

    assertThat(entry("config/a")).isEqualTo(new KvEntry("config/a", bytes("2"), 0, 2, 3));
  }

  @Test
  void set_appendsNoEventAndKeepsTheEpoch() {
    ApplyResult result = log.apply(kvSet("k", "v", -1));

    assertThat(result).isEqualTo(new ApplyResult.Applied(2, 1, List.of()));
    assertThat(log.state.view().events()).hasSize(1); // the bootstrap's
  }

  @Test
  void set_casZero_writesOnlyWhenAbsent() {
    assertThat(log.apply(kvSet("k", "v1", 0))).isInstanceOf(ApplyResult.Applied.class);
    ControlView before = log.state.view();

    assertRefused(log.state, log.apply(kvSet("k", "v2", 0)), RefusalCode.CAS_MISMATCH, before);
    assertThat(entry("k").value()).isEqualTo(bytes("v1"));
  }

  @Test
  void set_casIndex_writesOnlyAtThatModifyIndex() {
    log.apply(kvSet("k", "v1", -1)); // index 2
    log.apply(kvSet("k", "v2", 2)); // index 3
    ControlView before = log.state.view();

    assertRefused(log.state, log.apply(kvSet("k", "v3", 2)), RefusalCode.CAS_MISMATCH, before);
    assertRefused(log.state, log.apply(kvSet("absent", "v", 3)), RefusalCode.CAS_MISMATCH, before);
    assertThat(entry("k")).isEqualTo(new KvEntry("k", bytes("v2"), 0, 2, 3));
  }

  @Test
  void delete_key_removesOnlyIt() {
    log.apply(kvSet("a", "1", -1));
    log.apply(kvSet("ab", "2", -1));

    log.apply(new ControlCommand.KvDelete("a", false, -1));

    assertThat(log.state.view().kv()).containsOnlyKeys("ab");
  }

  @Test
  void delete_absentKey_succeedsChangingNothing() {
    ControlView before = log.state.view();

    ApplyResult plain = log.apply(new ControlCommand.KvDelete("absent", false, -1));
    ApplyResult cas = log.apply(new ControlCommand.KvDelete("absent", false, 7));

    assertThat(plain).isInstanceOf(ApplyResult.Applied.class);
    assertThat(cas).isInstanceOf(ApplyResult.Applied.class);
    assertThat(ControlLog.withoutIndex(log.state.view()))
        .isEqualTo(ControlLog.withoutIndex(before));
  }

  @Test
  void delete_casIndex_deletesOnlyAtThatModifyIndex() {
    log.apply(kvSet("k", "v", -1)); // index 2
    ControlView before = log.state.view();

    assertRefused(
        log.state,
        log.apply(new ControlCommand.KvDelete("k", false, 1)),
        RefusalCode.CAS_MISMATCH,
        before);
    assertRefused(
        log.state,
        log.apply(new ControlCommand.KvDelete("k", false, 0)),
        RefusalCode.CAS_MISMATCH,
        before);
    assertThat(log.apply(new ControlCommand.KvDelete("k", false, 2)))
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(log.state.view().kv()).isEmpty();
  }

  @Test
  void delete_recurse_removesEveryKeyUnderThePrefix() {
    for (String key : List.of("app/a", "app/b/c", "app", "apq", "ap", "other")) {
      log.apply(kvSet(key, "v", -1));
    }

    log.apply(new ControlCommand.KvDelete("app/", true, -1));

    assertThat(log.state.view().kv()).containsOnlyKeys("app", "apq", "ap", "other");
  }

  @Test
  void delete_recurseWithHighestCharPrefix_removesItsKeys() {
    String top = "a" + Character.MAX_VALUE;
    log.apply(kvSet(top, "v", -1));
    log.apply(kvSet(top + "x", "v", -1));
    log.apply(kvSet("b", "v", -1));

    log.apply(new ControlCommand.KvDelete(top, true, -1));

    assertThat(log.state.view().kv()).containsOnlyKeys("b");
  }

  @Test
  void delete_recurseEmptyPrefix_removesEverything() {
    log.apply(kvSet("a", "v", -1));
    log.apply(kvSet("b/c", "v", -1));

    log.apply(new ControlCommand.KvDelete("", true, -1));

    assertThat(log.state.view().kv()).isEmpty();
  }

  @Test
  void view_kv_isUnmodifiableAndSorted() {
    log.apply(kvSet("b", "v", -1));
    log.apply(kvSet("a", "v", -1));

    assertThat(log.state.view().kv().firstKey()).isEqualTo("a");
    assertThatThrownBy(() -> log.state.view().kv().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
