package io.hivemind.it.control.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.core.control.ControlCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v1/event/stream} on a real socket: events arrive as server-sent events while the
 * connection stays open, and a client that goes away releases its wait in the control plane at once
 * (not at the next heartbeat).
 */
class EventStreamIT {

  @RegisterExtension final ControlApi agent = new ControlApi();

  @Test
  void stream_deliversNewEventsLive_andClosingReleasesTheWait() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", agent.api.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /v1/event/stream HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      List<String> head = readUntilBlank(in);
      assertThat(head.get(0)).isEqualTo("HTTP/1.1 200 OK");
      assertThat(head).contains("content-type: text/event-stream");
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.plane.pendingWaits() == 1);

      agent.plane.apply(
          new ControlCommand.AppendEvent(
              "deploy", "node-2", "v1".getBytes(StandardCharsets.UTF_8)));

      String id = "id: " + agent.plane.view().index();
      String data = lineAfter(in, id);
      assertThat(data).startsWith("data: {").contains("\"Name\":\"deploy\"");
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> agent.plane.pendingWaits() == 0);
  }

  private static List<String> readUntilBlank(BufferedReader in) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      lines.add(line);
    }
    return lines;
  }

  /** The line after the first one equal to {@code wanted} (chunk sizes and comments skipped). */
  private static String lineAfter(BufferedReader in, String wanted) throws IOException {
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.equals(wanted)) {
        return in.readLine();
      }
    }
    return null;
  }
}
