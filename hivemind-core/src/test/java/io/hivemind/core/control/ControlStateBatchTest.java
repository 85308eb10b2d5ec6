package io.hivemind.core.control;

import static io.hivemind.core.control.ControlLog.admit;
import static io.hivemind.core.control.ControlLog.kvSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Group commit: a batch entry applies its commands in order, each with its own result. */
class ControlStateBatchTest {

  private final ControlLog log = ControlLog.bootstrapped();

  @Test
  void batch_appliesEachCommandInOrderAtTheEntrysIndex() {
    ApplyResult result =
        log.apply(
            new ControlCommand.Batch(
                List.of(
                    kvSet("a", "1", -1),
                    admit("0b7f9c1e-5d2a-4c3b-9e8f-1a2b3c4d5e6f", "web-1"),
                    kvSet("a", "2", 1), // a stale cas: refused, the rest go on
                    kvSet("b", "3", 0))));

    ApplyResult.Batched batched = (ApplyResult.Batched) result;
    assertThat(batched.index()).isEqualTo(2);
    assertThat(batched.results()).hasSize(4);
    assertThat(batched.results().get(0)).isInstanceOf(ApplyResult.Applied.class);
    assertThat(((ApplyResult.Applied) batched.results().get(1)).events())
        .extracting(ControlEvent::type)
        .containsExactly(ControlEvent.MEMBER_ADMITTED, ControlEvent.EPOCH_CHANGED);
    assertThat(((ApplyResult.Refused) batched.results().get(2)).code())
        .isEqualTo(RefusalCode.CAS_MISMATCH);
    assertThat(log.state.view().kv().get("a").modifyIndex()).isEqualTo(2);
    assertThat(log.state.view().kv()).containsKeys("a", "b");
    assertThat(log.state.view().epoch()).isEqualTo(2);
  }

  @Test
  void batch_withABadCommand_refusesOnlyThatOne() {
    ApplyResult.Batched batched =
        (ApplyResult.Batched)
            log.apply(
                new ControlCommand.Batch(
                    List.of(
                        new ControlCommand.KvSet("", new byte[0], 0, -1), kvSet("ok", "1", -1))));

    assertThat(((ApplyResult.Refused) batched.results().get(0)).code())
        .isEqualTo(RefusalCode.INVALID);
    assertThat(log.state.view().kv()).containsKey("ok");
  }

  @Test
  void batch_sameOnEveryReplica_andThroughTheCodec() throws Exception {
    ControlEntry entry =
        ControlEntry.of(
            ControlLog.START_MILLIS,
            new ControlCommand.Batch(List.of(kvSet("x", "1", -1), new ControlCommand.Tick())));
    byte[] bytes = WireControlCodec.encodeEntry(entry);
    ControlLog other = ControlLog.bootstrapped();

    ApplyResult here = log.state.apply(2, entry);
    ApplyResult there = other.state.apply(2, bytes);

    assertThat(WireControlCodec.decodeEntry(bytes)).isEqualTo(entry);
    assertThat(there).isEqualTo(here);
    assertThat(WireControlCodec.decodeResult(WireControlCodec.encodeResult(here))).isEqualTo(here);
    assertThat(other.state.view()).isEqualTo(log.state.view());
  }

  @Test
  void batch_isNeverNested_andNeverEmpty() {
    assertThatThrownBy(
            () ->
                new ControlCommand.Batch(
                    List.of(new ControlCommand.Batch(List.of(new ControlCommand.Tick())))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(log.apply(new ControlCommand.Batch(List.of())))
        .isInstanceOf(ApplyResult.Refused.class);
  }
}
