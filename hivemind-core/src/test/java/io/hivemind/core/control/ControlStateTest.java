package io.hivemind.core.control;

import static io.hivemind.core.control.ControlLog.admit;
import static io.hivemind.core.control.ControlLog.bytes;
import static io.hivemind.core.control.ControlLog.kvSet;
import static io.hivemind.core.control.ControlLog.member;
import static io.hivemind.core.control.ControlLog.withoutIndex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The state machine's rules for bootstrap, admission, role events, index handling and field rules;
 * KV in {@link ControlStateKvTest}, removals and the removal rule in {@link
 * ControlStateRemovalTest}.
 */
class ControlStateTest {

  private final ControlLog log = ControlLog.bootstrapped();

  @Test
  void empty_view_hasNoClusterEpochOrIndex() {
    ControlView view = ControlState.empty(RemovalPolicy.DEFAULT).view();

    assertThat(view.index()).isZero();
    assertThat(view.epoch()).isZero();
    assertThat(view.cluster()).isEmpty();
    assertThat(view.environment()).isEmpty();
    assertThat(view.members()).isEmpty();
    assertThat(view.kv()).isEmpty();
    assertThat(view.events()).isEmpty();
  }

  @Test
  void bootstrap_first_setsClusterAndEpochOne() {
    ControlView view = log.state.view();

    assertThat(view.cluster()).isEqualTo(ControlLog.CLUSTER);
    assertThat(view.environment()).isEqualTo(ControlLog.ENVIRONMENT);
    assertThat(view.epoch()).isEqualTo(1);
    assertThat(view.index()).isEqualTo(1);
    assertThat(view.events())
        .containsExactly(
            new ControlEvent(
                1,
                1,
                ControlLog.START_MILLIS + 1_000,
                ControlEvent.EPOCH_CHANGED,
                ControlLog.CLUSTER,
                bytes("bootstrap")));
  }

  @Test
  void bootstrap_second_refusedAlreadyBootstrapped() {
    ControlView before = log.state.view();

    ApplyResult result = log.apply(new ControlCommand.Bootstrap("other", "production"));

    assertRefused(log.state, result, RefusalCode.ALREADY_BOOTSTRAPPED, before);
  }

  @Test
  void commandBeforeBootstrap_refusedNotBootstrapped() {
    ControlLog empty = new ControlLog(ControlState.empty(RemovalPolicy.DEFAULT));
    ControlView before = empty.state.view();

    assertRefused(
        empty.state, empty.apply(admit("id-a", "a")), RefusalCode.NOT_BOOTSTRAPPED, before);
    assertRefused(
        empty.state, empty.apply(kvSet("k", "v", -1)), RefusalCode.NOT_BOOTSTRAPPED, before);
    assertRefused(
        empty.state, empty.apply(new ControlCommand.Tick()), RefusalCode.NOT_BOOTSTRAPPED, before);
  }

  @Test
  void admit_newMember_listedWithItsEpochAndIndex_epochAdvances() {
    ApplyResult result = log.apply(admit("id-a", "a"));

    ControlView view = log.state.view();
    assertThat(view.epoch()).isEqualTo(2);
    assertThat(view.members()).containsExactly(member("id-a", "a", "catalog").admitted(2, 2));
    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    ApplyResult.Applied applied = (ApplyResult.Applied) result;
    assertThat(applied.epoch()).isEqualTo(2);
    assertThat(applied.events())
        .extracting(ControlEvent::type)
        .containsExactly(ControlEvent.MEMBER_ADMITTED, ControlEvent.EPOCH_CHANGED);
    assertThat(applied.events())
        .allSatisfy(
            e -> {
              assertThat(e.index()).isEqualTo(2);
              assertThat(e.epoch()).isEqualTo(2);
              assertThat(e.timeMillis()).isEqualTo(log.timeMillis);
              assertThat(e.subject()).isEqualTo("a");
            });
    assertThat(applied.events().get(0).payloadText()).startsWith("id=id-a ");
    assertThat(view.events()).endsWith(applied.events().toArray(ControlEvent[]::new));
  }

  @Test
  void admit_eachAdmission_raisesEpochByOne() {
    log.apply(admit("id-a", "a"));
    log.apply(admit("id-b", "b"));
    log.apply(kvSet("k", "v", -1));
    log.apply(admit("id-c", "c"));

    assertThat(log.state.view().epoch()).isEqualTo(4);
    assertThat(log.state.view().members())
        .extracting(ControlMember::admittedEpoch)
        .containsExactly(2L, 3L, 4L);
  }

  @Test
  void admit_nameOfAdmittedMember_refusedNameTaken() {
    log.apply(admit("id-a", "a"));
    ControlView before = log.state.view();

    assertRefused(log.state, log.apply(admit("id-other", "a")), RefusalCode.NAME_TAKEN, before);
  }

  @Test
  void admit_idOfAdmittedMember_refusedIdReused() {
    log.apply(admit("id-a", "a"));
    ControlView before = log.state.view();

    assertRefused(log.state, log.apply(admit("id-a", "a2")), RefusalCode.ID_REUSED, before);
    assertRefused(log.state, log.apply(admit("id-a", "a")), RefusalCode.ID_REUSED, before);
  }

  @Test
  void members_sortedByName_rolesSortedAndDistinct() {
    log.apply(admit("id-c", "c"));
    log.apply(new ControlCommand.AdmitMember(member("id-a", "a", "dns", "catalog", "dns")));
    log.apply(admit("id-b", "b"));

    List<ControlMember> members = log.state.view().members();
    assertThat(members).extracting(ControlMember::name).containsExactly("a", "b", "c");
    assertThat(members.get(0).roles()).containsExactly("catalog", "dns");
  }

  @Test
  void appendEvent_appendsRoleEvent_epochUnchanged() {
    ApplyResult result =
        log.apply(new ControlCommand.AppendEvent("config-update", "host-1", bytes("{\"v\":2}")));

    ControlEvent expected =
        new ControlEvent(2, 1, log.timeMillis, "config-update", "host-1", bytes("{\"v\":2}"));
    assertThat(result).isEqualTo(new ApplyResult.Applied(2, 1, List.of(expected)));
    assertThat(log.state.view().events()).last().isEqualTo(expected);
    assertThat(log.state.view().epoch()).isEqualTo(1);
  }

  @Test
  void appendEvent_builtInType_refusedInvalid() {
    ControlView before = log.state.view();

    ApplyResult result =
        log.apply(
            new ControlCommand.AppendEvent(ControlEvent.MEMBER_ADMITTED, "host-1", bytes("x")));

    assertRefused(log.state, result, RefusalCode.INVALID, before);
  }

  @Test
  void apply_indexNotAboveLastApplied_refusedInvalid_nothingChanges() {
    log.apply(admit("id-a", "a"));
    ControlView before = log.state.view();

    ApplyResult again = log.state.apply(2, ControlEntry.of(1, admit("id-b", "b")));
    ApplyResult lower = log.state.apply(1, WireControlCodec.encodeEntry(log.entries.get(1)));

    assertThat(again).isInstanceOf(ApplyResult.Refused.class);
    assertThat(((ApplyResult.Refused) again).code()).isEqualTo(RefusalCode.INVALID);
    assertThat(lower).isInstanceOf(ApplyResult.Refused.class);
    assertThat(log.state.view()).isEqualTo(before);
    assertThat(log.state.lastAppliedIndex()).isEqualTo(2);
  }

  @Test
  void apply_bytesThatDoNotDecode_refusedInvalidAtThatIndex() {
    ControlView before = log.state.view();

    ApplyResult result = log.state.apply(5, new byte[] {(byte) 0xff, 0x01, 0x02});

    assertRefused(log.state, result, RefusalCode.INVALID, before);
    assertThat(result.index()).isEqualTo(5);
    assertThat(log.state.lastAppliedIndex()).isEqualTo(5);
  }

  @Test
  void apply_encodedEntry_sameResultAsTheRecord() {
    ControlLog other = ControlLog.bootstrapped();
    ControlEntry entry = ControlEntry.of(42, admit("id-a", "a"));

    ApplyResult fromRecord = log.state.apply(7, entry);
    ApplyResult fromBytes = other.state.apply(7, WireControlCodec.encodeEntry(entry));

    assertThat(fromBytes).isEqualTo(fromRecord);
    assertThat(other.state.view()).isEqualTo(log.state.view());
  }

  @Test
  void apply_newerVersion_refusedInvalidNamingTheVersion() {
    ControlView before = log.state.view();
    ControlEntry newer =
        new ControlEntry(ControlEntry.CURRENT_VERSION + 1, 5, new ControlCommand.Tick());

    ApplyResult fromRecord = log.apply(newer);
    ApplyResult fromBytes = log.state.apply(99, WireControlCodec.encodeEntry(newer));

    assertRefused(log.state, fromRecord, RefusalCode.INVALID, before);
    assertRefused(log.state, fromBytes, RefusalCode.INVALID, before);
    assertThat(((ApplyResult.Refused) fromBytes).message()).contains("version 2");
  }

  @Test
  void apply_commandBreakingAFieldRule_refusedInvalid() {
    log.apply(admit("id-a", "a"));
    ControlView before = log.state.view();
    List<ControlCommand> bad =
        List.of(
            admit("id-b", "x".repeat(129)),
            admit("id b", "b"),
            new ControlCommand.AdmitMember(member("id-b", "b", "Upper")),
            new ControlCommand.KvSet("k", new byte[512 * 1024 + 1], 0, -1),
            kvSet("k".repeat(513), "v", -1),
            kvSet("", "v", -1),
            kvSet("k\n", "v", -1),
            kvSet("k", "v", -2),
            new ControlCommand.KvDelete("k", true, 3),
            new ControlCommand.AppendEvent("t", "s", new byte[64 * 1024 + 1]),
            new ControlCommand.Bootstrap("c2", "moon"));

    for (ControlCommand command : bad) {
      assertRefused(log.state, log.apply(command), RefusalCode.INVALID, before);
    }
  }

  @Test
  void view_betweenApplies_sameInstance_unchangedPartsShared() {
    log.apply(admit("id-a", "a"));
    ControlView first = log.state.view();

    assertThat(log.state.view()).isSameAs(first);
    log.apply(kvSet("k", "v", -1));
    ControlView second = log.state.view();
    assertThat(second).isNotSameAs(first);
    assertThat(second.members()).isSameAs(first.members());
    assertThat(second.events()).isSameAs(first.events());
    assertThat(second.kv()).isNotSameAs(first.kv());
  }

  @Test
  void publishedView_laterAppliesAndPurges_leaveItUnchanged() {
    ControlLog small = new ControlLog(ControlState.empty(RemovalPolicy.DEFAULT, 50));
    small.apply(ControlLog.bootstrap());
    List<ControlView> published = new ArrayList<>();
    List<List<Object>> copies = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      small.apply(new ControlCommand.AppendEvent("tick", "host-1", bytes("e" + i)));
      small.apply(kvSet("k/" + (i % 37), "v" + i, -1));
      if (i % 5 == 0) {
        small.apply(new ControlCommand.KvDelete("k/" + (i % 11), false, -1));
      }
      ControlView view = small.state.view();
      published.add(view);
      copies.add(
          List.of(
              List.copyOf(view.events()),
              new TreeMap<>(view.kv()),
              view.firstRetainedEventIndex()));
    }

    for (int i = 0; i < published.size(); i++) {
      ControlView view = published.get(i);
      assertThat(
              List.of(
                  List.copyOf(view.events()),
                  new TreeMap<>(view.kv()),
                  view.firstRetainedEventIndex()))
          .isEqualTo(copies.get(i));
    }
  }

  @Test
  void events_beyondRetention_oldestEntriesPurgedWhole() {
    ControlLog small = new ControlLog(ControlState.empty(RemovalPolicy.DEFAULT, 3));
    small.apply(ControlLog.bootstrap()); // index 1: one event
    small.apply(admit("id-a", "a")); // index 2: two events
    assertThat(small.state.view().events()).hasSize(3);
    assertThat(small.state.view().firstRetainedEventIndex()).isZero();

    small.apply(admit("id-b", "b")); // index 3: two more, so 1 and 2 go

    ControlView view = small.state.view();
    assertThat(view.events()).extracting(ControlEvent::index).containsExactly(3L, 3L);
    assertThat(view.firstRetainedEventIndex()).isEqualTo(3);
  }

  @Test
  void events_defaultRetention_keepsTheLastTenThousand() {
    for (int i = 0; i < ControlState.DEFAULT_RETAINED_EVENTS + 10; i++) {
      log.apply(new ControlCommand.AppendEvent("tick", "host-1", new byte[0]));
    }

    ControlView view = log.state.view();
    assertThat(view.events()).hasSize(ControlState.DEFAULT_RETAINED_EVENTS);
    assertThat(view.firstRetainedEventIndex()).isEqualTo(view.events().get(0).index());
    assertThat(view.events()).last().extracting(ControlEvent::index).isEqualTo(view.index());
  }

  /** {@code result} is a refusal with {@code code}, and only the state's index moved. */
  static void assertRefused(
      ControlState state, ApplyResult result, RefusalCode code, ControlView before) {
    assertThat(result).isInstanceOf(ApplyResult.Refused.class);
    ApplyResult.Refused refused = (ApplyResult.Refused) result;
    assertThat(refused.code()).as(refused.message()).isEqualTo(code);
    assertThat(refused.message()).isNotBlank();
    assertThat(withoutIndex(state.view())).isEqualTo(withoutIndex(before));
  }
}
