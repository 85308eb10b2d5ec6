package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.ControlPlaneStatus;
import io.hivemind.api.KvPair;
import io.hivemind.api.RaftServer;
import io.hivemind.api.UserEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlTextTest {

  private static final List<RaftServer> SERVERS =
      List.of(
          new RaftServer("node-1", "node-1", "10.0.0.1:7362", true, true, "3"),
          new RaftServer("node-22", "node-22", "10.0.0.22:7362", false, false, "3"));

  @Test
  void status_healthy_figuresAndPeers() {
    String text =
        ControlText.status(
            new ControlPlaneStatus(false, "10.0.0.1:7362", 4, 120, 119, 7, "main", 3, SERVERS));

    assertThat(text.lines())
        .containsExactly(
            "Leader:         10.0.0.1:7362",
            "Degraded:       no",
            "Term:           4",
            "Commit index:   120",
            "Applied index:  119",
            "Epoch:          7",
            "Cluster:        main",
            "Members:        3",
            "Peers:",
            "Node     ID       Address         State     Voter  RaftProtocol",
            "node-1   node-1   10.0.0.1:7362   leader    true   3",
            "node-22  node-22  10.0.0.22:7362  follower  false  3");
  }

  @Test
  void status_degraded_saysSoAndNoLeader() {
    String text =
        ControlText.status(new ControlPlaneStatus(true, "", 0, 0, 0, 0, "", 0, List.of()));

    assertThat(text)
        .contains("Leader:         (none)")
        .contains("Degraded:       yes (no quorum: writes fail, reads are local)")
        .contains("Cluster:        (not bootstrapped)")
        .contains("Peers: (none)");
  }

  @Test
  void event_indexTimeNameSubjectPayload() {
    UserEvent event =
        new UserEvent(
            "12-0",
            "member-admitted",
            base64("node-2 admitted at epoch 3"),
            "",
            "",
            "",
            1,
            12,
            12,
            3,
            "node-2",
            0);

    assertThat(ControlText.event(event))
        .isEqualTo("12  1970-01-01T00:00:00Z  member-admitted  node-2  node-2 admitted at epoch 3");
  }

  @Test
  void event_withoutPayloadOrSubject_noTrailingColumns() {
    UserEvent event = new UserEvent("5-1", "deploy", null, "", "", "", 1, 5, 5, 1, "", 1000);

    assertThat(ControlText.event(event)).isEqualTo("5  1970-01-01T00:00:01Z  deploy  -");
  }

  @Test
  void entries_keyColonValue_binaryAsBase64() {
    List<KvPair> pairs =
        List.of(
            new KvPair(0, "app/a", 0, base64("one"), 3, 3),
            new KvPair(0, "app/b", 0, null, 4, 4),
            new KvPair(
                0, "app/c", 0, Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff}), 5, 5));

    assertThat(ControlText.entries(pairs).lines())
        .containsExactly("app/a:one", "app/b:", "app/c:base64:/w==");
  }

  @Test
  void json_idWrittenAsConsulDoes() {
    assertThat(ControlText.jsonLine(SERVERS.get(0)))
        .isEqualTo(
            "{\"ID\":\"node-1\",\"Node\":\"node-1\",\"Address\":\"10.0.0.1:7362\",\"Leader\":true,"
                + "\"Voter\":true,\"ProtocolVersion\":\"3\"}");
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
