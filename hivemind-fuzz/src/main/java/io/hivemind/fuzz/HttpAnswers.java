package io.hivemind.fuzz;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what an HTTP/1.1 server wrote, strictly and by hand (RFC 9112: a status line, header
 * fields, an empty line, then exactly Content-Length bytes), so the check does not trust the
 * library that wrote the bytes. A byte out of place is a {@link Malformed} answer.
 */
public final class HttpAnswers {

  /** One response: its version, status, header fields (names in lower case) and body. */
  public record Answer(String version, int status, Map<String, String> headers, byte[] body) {

    /** The value of the JSON body's string field {@code error}, or null if there is none. */
    public String errorCode() {
      try (JsonParser json = JSON.createParser(body)) {
        if (json.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        String error = null;
        for (JsonToken token = json.nextToken();
            token == JsonToken.FIELD_NAME;
            token = json.nextToken()) {
          String field = json.currentName();
          JsonToken value = json.nextToken();
          if (field.equals("error") && value == JsonToken.VALUE_STRING) {
            error = json.getText();
          } else {
            json.skipChildren();
          }
        }
        return json.currentToken() == JsonToken.END_OBJECT && json.nextToken() == null
            ? error
            : null;
      } catch (IOException e) {
        return null;
      }
    }
  }

  /** Bytes that are not a sequence of well-formed responses. */
  public static final class Malformed extends Exception {

    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  private static final JsonFactory JSON = new JsonFactory();
  private static final Pattern STATUS_LINE =
      Pattern.compile("([!-~]+/[0-9]+\\.[0-9]+) ([1-5][0-9][0-9]) [\\x20-\\x7E]*");
  private static final Pattern FIELD =
      Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+): ?([\\x20-\\x7E\\t]*)");

  private HttpAnswers() {}

  /**
   * Every response in {@code bytes}, which must end where the last one ends.
   *
   * @param headSent true if the client sent a HEAD request: an answer to HEAD has a Content-Length
   *     and no body (RFC 9110 §9.3.2), so a body is then allowed to be absent
   */
  public static List<Answer> parse(byte[] bytes, boolean headSent) throws Malformed {
    List<Answer> answers = new ArrayList<>();
    int[] at = {0};
    while (at[0] < bytes.length) {
      answers.add(next(bytes, at, headSent));
    }
    return answers;
  }

  private static Answer next(byte[] bytes, int[] at, boolean headSent) throws Malformed {
    Matcher status = STATUS_LINE.matcher(line(bytes, at));
    if (!status.matches()) {
      throw new Malformed("not a status line at byte " + at[0]);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String field = line(bytes, at); !field.isEmpty(); field = line(bytes, at)) {
      Matcher matcher = FIELD.matcher(field);
      if (!matcher.matches()) {
        throw new Malformed("not a header field: " + field);
      }
      if (headers.put(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(2).strip())
          != null) {
        throw new Malformed("header field " + matcher.group(1) + " twice");
      }
    }
    int code = Integer.parseInt(status.group(2));
    boolean bodyless = headSent && (at[0] == bytes.length || startsWith(bytes, at[0], "HTTP/"));
    byte[] body = bodyless ? new byte[0] : body(bytes, at, code, headers);
    return new Answer(status.group(1), code, headers, body);
  }

  private static byte[] body(byte[] bytes, int[] at, int status, Map<String, String> headers)
      throws Malformed {
    String length = headers.get("content-length");
    if (status < 200) {
      return new byte[0]; // 1xx: no body (RFC 9110 §15.2)
    }
    if (length == null || !length.matches("[0-9]{1,9}")) {
      throw new Malformed("status " + status + " without a usable Content-Length: " + length);
    }
    int size = Integer.parseInt(length);
    if (at[0] + size > bytes.length) {
      throw new Malformed(
          "Content-Length " + size + " but " + (bytes.length - at[0]) + " bytes follow");
    }
    byte[] body = new byte[size];
    System.arraycopy(bytes, at[0], body, 0, size);
    at[0] += size;
    return body;
  }

  private static boolean startsWith(byte[] bytes, int at, String prefix) {
    return new String(
            bytes, at, Math.min(prefix.length(), bytes.length - at), StandardCharsets.ISO_8859_1)
        .equals(prefix);
  }

  /** The line at {@code at[0]}, which must end in CRLF; moves past it. */
  private static String line(byte[] bytes, int[] at) throws Malformed {
    for (int i = at[0]; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        String line = new String(bytes, at[0], i - at[0], StandardCharsets.ISO_8859_1);
        at[0] = i + 2;
        return line;
      }
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        throw new Malformed("a bare CR or LF at byte " + i);
      }
    }
    throw new Malformed("a line without CRLF at byte " + at[0]);
  }
}
