package io.hivemind.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request body's JSON as plain values: objects as {@code Map<String, Object>} (in order), arrays
 * as {@code List<Object>}, strings, numbers ({@code Long}, or {@code Double} with a fraction),
 * booleans and null. Read with Jackson's streaming parser, for the reason {@link ApiJson} gives.
 * The body limit bounds the size; nesting is bounded here, duplicate keys are refused (which one
 * would win is a guess), and so is anything after the value.
 */
final class JsonBody {

  /** Consul's registration nests three levels (Checks, a check, its Header); 16 is plenty. */
  static final int MAX_DEPTH = 16;

  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonBody() {}

  /**
   * Parses {@code body}.
   *
   * @throws ApiException 400 {@code bad_json} with the parser's sentence
   */
  static Object parse(byte[] body) {
    try (JsonParser parser = FACTORY.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw ApiException.badRequest("bad_json", "the body is empty: send a JSON object");
      }
      Object value = value(parser, first, 0);
      if (parser.nextToken() != null) {
        throw ApiException.badRequest("bad_json", "the body has more after its JSON value");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(
          "bad_json", "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("bad_json", "the body cannot be read: " + e.getMessage());
    }
  }

  private static Object value(JsonParser parser, JsonToken token, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw ApiException.badRequest("bad_json", "the body nests deeper than " + MAX_DEPTH);
    }
    return switch (token) {
      case START_OBJECT -> object(parser, depth);
      case START_ARRAY -> array(parser, depth);
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT -> parser.getLongValue();
      case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw ApiException.badRequest("bad_json", "unexpected JSON token " + token);
    };
  }

  private static Map<String, Object> object(JsonParser parser, int depth) throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_OBJECT;
        token = parser.nextToken()) {
      String name = parser.currentName();
      if (object.containsKey(name)) {
        throw ApiException.badRequest("bad_json", "the field \"" + name + "\" appears twice");
      }
      object.put(name, value(parser, parser.nextToken(), depth + 1));
    }
    return object;
  }

  private static List<Object> array(JsonParser parser, int depth) throws IOException {
    List<Object> array = new ArrayList<>();
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_ARRAY;
        token = parser.nextToken()) {
      array.add(value(parser, token, depth + 1));
    }
    return array;
  }
}
