package io.hivemind.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An answer the agent wrote, read back as plain Java values ({@link LinkedHashMap} in field order,
 * {@link ArrayList}, {@link String}, {@link Number}, {@link Boolean}, null) so that {@code ?filter}
 * can select fields by the names the answer carries, as go-bexpr selects a Consul struct's fields
 * by their JSON names. Jackson's streaming parser reads it: no data binding in an agent (ADR 0002).
 */
final class JsonTree {

  /** What {@link #select} gives for a path that leads nowhere. */
  static final Object MISSING = new Object();

  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonTree() {}

  /** The tree of {@code json}, which the agent wrote itself (so it is well formed). */
  static Object read(byte[] json) {
    try (JsonParser parser = FACTORY.createParser(json)) {
      parser.nextToken();
      return value(parser);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read back an answer the agent wrote", e);
    }
  }

  private static Object value(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    return switch (token) {
      case START_OBJECT -> {
        Map<String, Object> fields = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          fields.put(name, value(parser));
        }
        yield fields;
      }
      case START_ARRAY -> {
        List<Object> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(value(parser));
        }
        yield items;
      }
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new IOException("unexpected " + token + " in an answer");
    };
  }

  /**
   * The value at {@code path} from {@code root}: each step a field of an object (a struct field or
   * a map key alike, as in {@code Service.Meta.version}); {@link #MISSING} when a step finds no
   * such field or meets a string, number or boolean. A step that meets a list goes on into each of
   * its elements and gives the list of what they hold ({@code Checks.Status}: every check's status;
   * lists found are joined into one), so that {@code Checks.Status == critical} asks whether any
   * check is critical.
   */
  static Object select(Object root, List<String> path) {
    Object at = root;
    for (int i = 0; i < path.size(); i++) {
      if (at instanceof List<?> items) {
        return project(items, path.subList(i, path.size()));
      }
      if (!(at instanceof Map<?, ?> fields) || !fields.containsKey(path.get(i))) {
        return MISSING;
      }
      at = fields.get(path.get(i));
    }
    return at;
  }

  private static List<Object> project(List<?> items, List<String> path) {
    List<Object> values = new ArrayList<>();
    for (Object item : items) {
      Object value = select(item, path);
      if (value instanceof List<?> list) {
        values.addAll(list);
      } else if (value != MISSING) {
        values.add(value);
      }
    }
    return values;
  }

  /** Writes a tree {@link #read} made. */
  static void write(JsonGenerator json, Object value) throws IOException {
    if (value instanceof Map<?, ?> fields) {
      json.writeStartObject();
      for (Map.Entry<?, ?> field : fields.entrySet()) {
        json.writeFieldName((String) field.getKey());
        write(json, field.getValue());
      }
      json.writeEndObject();
    } else if (value instanceof List<?> items) {
      json.writeStartArray();
      for (Object item : items) {
        write(json, item);
      }
      json.writeEndArray();
    } else if (value instanceof String text) {
      json.writeString(text);
    } else if (value instanceof Boolean flag) {
      json.writeBoolean(flag);
    } else if (value instanceof Integer || value instanceof Long) {
      json.writeNumber(((Number) value).longValue());
    } else if (value instanceof Number number) {
      // BigInteger, Double, BigDecimal: their text is the JSON number as read.
      json.writeNumber(number.toString());
    } else {
      json.writeNull();
    }
  }
}
