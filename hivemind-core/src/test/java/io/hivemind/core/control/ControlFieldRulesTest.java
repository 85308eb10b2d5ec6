package io.hivemind.core.control;

import static io.hivemind.core.control.ControlLog.member;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.membership.Address;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each field limit at its edge: the limit passes, one more is refused naming the field. */
class ControlFieldRulesTest {

  private static Optional<String> problem(ControlCommand command) {
    return ControlFieldRules.problem(ControlEntry.of(0, command));
  }

  private static ControlCommand admitWith(ControlMember member) {
    return new ControlCommand.AdmitMember(member);
  }

  private static ControlMember withName(String name) {
    return member("id-a", name);
  }

  @Test
  void names_upTo128Bytes() {
    assertThat(problem(admitWith(withName("n".repeat(128))))).isEmpty();
    assertThat(problem(admitWith(withName("n".repeat(129))))).get().asString().contains("name");
    assertThat(problem(admitWith(member("i".repeat(129), "a")))).get().asString().contains("id");
    assertThat(problem(admitWith(withName("-a")))).isPresent();
    assertThat(problem(admitWith(withName("")))).isPresent();
  }

  @Test
  void roles_upTo16_lowerCase() {
    String[] sixteen = new String[16];
    for (int i = 0; i < 16; i++) {
      sixteen[i] = "r" + i;
    }
    String[] seventeen = Arrays.copyOf(sixteen, 17);
    seventeen[16] = "r16";

    assertThat(problem(admitWith(member("id-a", "a", sixteen)))).isEmpty();
    assertThat(problem(admitWith(member("id-a", "a", seventeen))))
        .get()
        .asString()
        .contains("17 roles");
    assertThat(problem(admitWith(member("id-a", "a", "Dns")))).get().asString().contains("role");
    assertThat(
            problem(
                new ControlCommand.AdmitMember(
                    member("id-a", "a"), Collections.nCopies(17, "dns"), "")))
        .isPresent();
  }

  @Test
  void addressAndZoneAndHost() {
    ControlMember good = member("id-a", "a");
    ControlMember portZero =
        new ControlMember("id-a", "a", new Address("127.0.0.1", 0), List.of(), "", "", 0, 0);
    ControlMember badHost =
        new ControlMember("id-a", "a", new Address("127.0.0.1/8", 1), List.of(), "", "", 0, 0);
    ControlMember longHost =
        new ControlMember(
            "id-a", "a", new Address("127.0.0.1", 1), List.of(), "", "h".repeat(256), 0, 0);
    ControlMember badZone =
        new ControlMember("id-a", "a", new Address("::1", 1), List.of(), "zone a", "", 0, 0);

    assertThat(problem(admitWith(good))).isEmpty();
    assertThat(problem(admitWith(portZero))).get().asString().contains("port 0");
    assertThat(problem(admitWith(badHost))).get().asString().contains("host");
    assertThat(problem(admitWith(longHost))).get().asString().contains("255");
    assertThat(problem(admitWith(badZone))).get().asString().contains("zone");
  }

  @Test
  void kv_keyUpTo512Bytes_valueUpTo512KiB() {
    assertThat(problem(new ControlCommand.KvSet("k".repeat(512), new byte[0], 0, -1))).isEmpty();
    assertThat(problem(new ControlCommand.KvSet("é".repeat(256), new byte[0], 0, -1))).isEmpty();
    assertThat(problem(new ControlCommand.KvSet("é".repeat(257), new byte[0], 0, -1))).isPresent();
    assertThat(problem(new ControlCommand.KvSet("k", new byte[512 * 1024], 0, -1))).isEmpty();
    assertThat(problem(new ControlCommand.KvSet("k", new byte[512 * 1024 + 1], 0, -1)))
        .get()
        .asString()
        .contains("KV value");
    assertThat(problem(new ControlCommand.KvDelete("", true, -1))).isEmpty();
    assertThat(problem(new ControlCommand.KvDelete("", false, -1))).isPresent();
    assertThat(problem(new ControlCommand.KvDelete("k", true, 0)))
        .get()
        .asString()
        .contains("recursive");
  }

  @Test
  void events_payloadUpTo64KiB_typeNotBuiltIn() {
    assertThat(problem(new ControlCommand.AppendEvent("t", "s", new byte[64 * 1024]))).isEmpty();
    assertThat(problem(new ControlCommand.AppendEvent("t", "s", new byte[64 * 1024 + 1])))
        .isPresent();
    assertThat(problem(new ControlCommand.AppendEvent("epoch-changed", "s", new byte[0])))
        .get()
        .asString()
        .contains("own");
    assertThat(problem(new ControlCommand.AppendEvent("T", "s", new byte[0]))).isPresent();
  }

  @Test
  void observations_boundedAndInRange() {
    Observation good = new Observation("id-b", "id-a", "a", 0, Observation.Kind.SUSPECT, 0, 0);
    Observation badHealth =
        new Observation("id-b", "id-a", "a", 0, Observation.Kind.SUSPECT, 256, 0);
    Observation badIncarnation =
        new Observation("id-b", "id-a", "a", (1L << 62) + 1, Observation.Kind.SUSPECT, 0, 0);

    assertThat(
            problem(
                new ControlCommand.ReportObservations(
                    Collections.nCopies(ControlFieldRules.MAX_OBSERVATIONS, good))))
        .isEmpty();
    assertThat(
            problem(
                new ControlCommand.ReportObservations(
                    Collections.nCopies(ControlFieldRules.MAX_OBSERVATIONS + 1, good))))
        .isPresent();
    assertThat(problem(new ControlCommand.ReportObservations(List.of(badHealth)))).isPresent();
    assertThat(problem(new ControlCommand.ReportObservations(List.of(badIncarnation)))).isPresent();
    assertThat(
            problem(
                new ControlCommand.RemoveMember(
                    "id-a", RemovalReason.FAILED, Collections.nCopies(65, "id-b"))))
        .isPresent();
  }

  @Test
  void errorMessages_escapeControlCharactersAndCutLongValues() {
    String message = problem(admitWith(withName("a\r\n" + "x".repeat(100)))).orElseThrow();

    assertThat(message).contains("\\u000d\\u000a").contains("(103 chars)").doesNotContain("\r");
  }
}
