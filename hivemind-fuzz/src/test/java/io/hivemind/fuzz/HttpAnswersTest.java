package io.hivemind.fuzz;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The strict reader of what the API wrote back. */
class HttpAnswersTest {

  @Test
  void parse_twoAnswersInARow_eachWithItsBodyAndErrorCode() throws Exception {
    byte[] written =
        ("HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 38\r\n\r\n"
                + "{\"error\":\"not_found\",\"message\":\"none\"}"
                + "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n[]")
            .getBytes(ISO_8859_1);

    List<HttpAnswers.Answer> answers = HttpAnswers.parse(written, false);

    assertThat(answers).extracting(HttpAnswers.Answer::status).containsExactly(404, 100, 200);
    assertThat(answers.get(0).errorCode()).isEqualTo("not_found");
    assertThat(answers.get(2).errorCode()).isNull();
  }

  @Test
  void parse_bareLf_contentLengthShortOrStrayBytes_areMalformed() {
    for (String written :
        List.of(
            "HTTP/1.1 200 OK\ncontent-length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nabc",
            "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\nstray",
            "HTTP/1.1 200 OK\r\n\r\n")) {
      assertThatThrownBy(() -> HttpAnswers.parse(written.getBytes(ISO_8859_1), false))
          .as(written)
          .isInstanceOf(HttpAnswers.Malformed.class);
    }
  }

  @Test
  void parse_answerToHead_hasNoBody() throws Exception {
    byte[] written =
        "HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 92\r\n\r\n".getBytes(ISO_8859_1);

    assertThat(HttpAnswers.parse(written, true).get(0).body()).isEmpty();
  }
}
