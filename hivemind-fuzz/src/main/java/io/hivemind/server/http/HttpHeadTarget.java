package io.hivemind.server.http;

import io.hivemind.fuzz.Choices;
import io.hivemind.fuzz.FuzzFailure;
import io.hivemind.fuzz.FuzzTarget;
import io.hivemind.fuzz.HttpAnswers;
import io.hivemind.fuzz.HttpAnswers.Answer;
import io.hivemind.fuzz.HttpHeads;
import io.hivemind.fuzz.Outcomes;
import io.hivemind.testkit.FixedAgent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The HTTP API's whole pipeline ({@link ApiChannelInitializer}: codec, limits, flow control,
 * routes, handlers) over a {@link FixedAgent}, on one embedded connection: a mutated request in one
 * to three reads, then the idle timeout. It lives in the API's package because the pipeline is
 * package-private; it touches nothing else there. After each request:
 *
 * <ul>
 *   <li>nothing was thrown out of the pipeline;
 *   <li>everything written back is a sequence of well-formed responses (status line, header fields,
 *       Content-Length and that many bytes; no stray bytes), always HTTP/1.1 whatever version the
 *       client wrote;
 *   <li>every 4xx and 5xx response is JSON with an {@code error} code;
 *   <li>no 500: the agent never fails here, so a 500 is the API failing on its input;
 *   <li>the connection is closed once the idle timeout has passed.
 * </ul>
 *
 * Each request is counted under the statuses and error codes it was answered with.
 */
public final class HttpHeadTarget implements FuzzTarget {

  private static final HttpApiConfig CONFIG =
      new HttpApiConfig(
          "127.0.0.1", 0, "0.0.0-fuzz", Duration.ofSeconds(30), Duration.ofSeconds(30), 1024);

  /** A request line of a HEAD request. */
  private static final Pattern HEAD = Pattern.compile("(^|\n)HEAD ");

  private final HttpHeads heads = new HttpHeads();

  @Override
  public String name() {
    return "http";
  }

  @Override
  public void run(Choices choices, Outcomes outcomes) {
    byte[] request = heads.next(choices);
    int[] cuts = {choices.below(request.length + 1), choices.below(request.length + 1)};
    java.util.Arrays.sort(cuts);
    MockTicker clock = Ticker.newMockTicker();
    EmbeddedChannel connection =
        EmbeddedChannel.builder()
            .ticker(clock)
            .handlers(new ApiChannelInitializer(CONFIG, new FixedAgent(), new HttpApiStats()))
            .build();
    byte[] written;
    try {
      feed(connection, request, cuts);
      clock.advance(ApiChannelInitializer.IDLE_TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
      connection.runPendingTasks();
      written = written(connection);
      connection.checkException();
    } catch (RuntimeException | StackOverflowError e) {
      throw new FuzzFailure("nothing escapes the HTTP pipeline", e.toString(), request, e);
    }
    if (connection.isOpen()) {
      throw new FuzzFailure(
          "an idle connection closes", "still open after the idle timeout", request);
    }
    connection.finishAndReleaseAll();
    outcomes.count(check(request, written));
  }

  private static void feed(EmbeddedChannel connection, byte[] request, int[] cuts) {
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : request.length;
      if (!connection.isOpen()) {
        return; // the server closed: a real client's further bytes go nowhere
      }
      if (to > from) {
        connection.writeInbound(Unpooled.wrappedBuffer(request, from, to - from));
        connection.runPendingTasks();
      }
      from = to;
    }
  }

  /** Checks every response; returns the request's outcome, its statuses and error codes. */
  private static String check(byte[] request, byte[] written) {
    String sent = new String(request, StandardCharsets.ISO_8859_1);
    List<Answer> answers;
    try {
      answers = HttpAnswers.parse(written, HEAD.matcher(sent).find());
    } catch (HttpAnswers.Malformed e) {
      throw new FuzzFailure(
          "every answer is well-formed HTTP",
          e.getMessage() + "; written: " + FuzzFailure.describe(written),
          request);
    }
    TreeSet<String> labels = new TreeSet<>();
    for (Answer answer : answers) {
      labels.add(check(answer, sent, request));
    }
    return labels.isEmpty() ? "no answer" : String.join(", ", labels);
  }

  private static String check(Answer answer, String sent, byte[] request) {
    // An answer to HEAD has no body to read the code from (RFC 9110 §9.3.2).
    boolean headAnswer = answer.body().length == 0 && HEAD.matcher(sent).find();
    String code = answer.status() < 400 ? null : headAnswer ? "(head)" : answer.errorCode();
    String label = code == null ? String.valueOf(answer.status()) : answer.status() + " " + code;
    if (!answer.version().equals("HTTP/1.1")) {
      throw new FuzzFailure(
          "answers are HTTP/1.1",
          answer.version() + " " + answer.status() + " (the API answers HTTP/1.1 to every client)",
          request);
    }
    if (answer.status() == 500) {
      throw new FuzzFailure(
          "no 500 for bad input",
          "500 " + new String(answer.body(), StandardCharsets.UTF_8),
          request);
    }
    String type = answer.headers().getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
    if (answer.status() >= 400 && (!type.startsWith("application/json") || code == null)) {
      throw new FuzzFailure(
          "errors are JSON with an error code",
          answer.status()
              + " with Content-Type '"
              + type
              + "' and body '"
              + new String(answer.body(), StandardCharsets.UTF_8)
              + "'",
          request);
    }
    return label;
  }

  private static byte[] written(EmbeddedChannel connection) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (Object message = connection.readOutbound();
        message != null;
        message = connection.readOutbound()) {
      ByteBuf buffer = (ByteBuf) message;
      byte[] chunk = new byte[buffer.readableBytes()];
      buffer.readBytes(chunk);
      buffer.release();
      bytes.writeBytes(chunk);
    }
    return bytes.toByteArray();
  }
}
