package io.hivemind.server.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A JSON object of a request body, read the way Consul reads its own: field names match whatever
 * their case (Go's {@code encoding/json}) and with or without underscores (Consul translates {@code
 * snake_case} keys of a registration), so {@code "ID"}, {@code "Id"} and {@code "id"} are one
 * field, as are {@code "DeregisterCriticalServiceAfter"} and {@code
 * "deregister_critical_service_after"}. Each typed getter refuses a value of the wrong type with a
 * 400 naming the field; {@link #refuseUnknown} refuses fields the endpoint does not know.
 */
final class ConsulObject {

  private final String where;
  private final String code;
  private final Map<String, Object> fields;
  private final Map<String, String> sentNames;

  /**
   * @param where what the object is, for error sentences ("the registration", "check 2")
   * @param code the error code of a 400 about its content ({@code invalid_registration})
   * @throws ApiException 400 when {@code value} is not an object, or two of its names are one
   */
  ConsulObject(Object value, String where, String code) {
    this.where = where;
    this.code = code;
    if (!(value instanceof Map<?, ?> map)) {
      throw bad(where + " must be a JSON object");
    }
    // Sized for what was sent: a registration has a dozen fields, past a default map's 12.
    int capacity = map.size() * 4 / 3 + 1;
    fields = new HashMap<>(capacity);
    sentNames = new LinkedHashMap<>(capacity);
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String sent = (String) entry.getKey();
      String key = sentKey(sent);
      if (sentNames.containsKey(key)) {
        throw bad(where + " has \"" + sentNames.get(key) + "\" and \"" + sent + "\": one field");
      }
      sentNames.put(key, sent);
      fields.put(key, entry.getValue());
    }
  }

  private static String normalize(String name) {
    return name.replace("_", "").toLowerCase(Locale.ROOT);
  }

  // The normalized forms of the names the code asks for ("ID", "Meta", a known-fields set's
  // members): a few dozen constants, normalized on every request otherwise. Normalizing them
  // (two new strings each) took an eighth of the HTTP thread under registrations
  // (etcd-vs-registrations, 2026-12-02). Bounded all the same, should a name ever come from input.
  private static final int MAX_CACHED_NAMES = 1024;
  private static final ConcurrentMap<String, String> CODE_NAMES = new ConcurrentHashMap<>();
  // The same for the endpoints' sets of known fields, by the set.
  private static final ConcurrentMap<Set<String>, Set<String>> KNOWN_KEYS =
      new ConcurrentHashMap<>();

  private static String key(String codeName) {
    String key = CODE_NAMES.get(codeName);
    if (key == null) {
      key = normalize(codeName);
      if (CODE_NAMES.size() < MAX_CACHED_NAMES) {
        CODE_NAMES.put(codeName, key);
      }
    }
    return key;
  }

  /** A sent name's key: clients mostly send the names as the code spells them. */
  private static String sentKey(String sent) {
    String key = CODE_NAMES.get(sent);
    return key != null ? key : normalize(sent);
  }

  /**
   * Refuses any field not in {@code known} (Consul's spelling; matched as {@link ConsulObject}
   * matches names).
   *
   * @throws ApiException 400 {@code unknown_field} naming it
   */
  void refuseUnknown(Set<String> known) {
    Set<String> knownNormalized = KNOWN_KEYS.get(known);
    if (knownNormalized == null) {
      Set<String> keys = new HashSet<>(known.size() * 2);
      known.forEach(name -> keys.add(key(name)));
      knownNormalized = Set.copyOf(keys);
      if (KNOWN_KEYS.size() < MAX_CACHED_NAMES) {
        KNOWN_KEYS.put(Set.copyOf(known), knownNormalized);
      }
    }
    for (Map.Entry<String, String> name : sentNames.entrySet()) {
      if (!knownNormalized.contains(name.getKey())) {
        throw new ApiException(
            400,
            "unknown_field",
            where + " has an unknown field \"" + name.getValue() + "\"; known: " + known);
      }
    }
  }

  /** Whether the field is present with a value other than null. */
  boolean has(String name) {
    return fields.get(key(name)) != null;
  }

  /** The value, maybe null. */
  Object raw(String name) {
    return fields.get(key(name));
  }

  String string(String name, String absent) {
    Object value = raw(name);
    if (value == null) {
      return absent;
    }
    if (value instanceof String text) {
      return text;
    }
    throw bad(field(name) + " must be a string");
  }

  boolean bool(String name) {
    Object value = raw(name);
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean flag) {
      return flag;
    }
    throw bad(field(name) + " must be true or false");
  }

  /** A whole number in {@code min..max}. */
  long number(String name, long absent, long min, long max) {
    Object value = raw(name);
    if (value == null) {
      return absent;
    }
    if (value instanceof Long number && number >= min && number <= max) {
      return number;
    }
    throw bad(field(name) + " must be a whole number from " + min + " to " + max + ": " + value);
  }

  List<String> strings(String name) {
    Object value = raw(name);
    if (value == null) {
      return List.of();
    }
    List<String> strings = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (!(item instanceof String text)) {
          throw bad(field(name) + " must be a list of strings");
        }
        strings.add(text);
      }
      return strings;
    }
    throw bad(field(name) + " must be a list of strings");
  }

  Map<String, String> stringMap(String name) {
    Object value = raw(name);
    if (value == null) {
      return Map.of();
    }
    Map<String, String> map = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> object) {
      for (Map.Entry<?, ?> entry : object.entrySet()) {
        if (!(entry.getValue() instanceof String text)) {
          throw bad(field(name) + " must map names to strings");
        }
        map.put((String) entry.getKey(), text);
      }
      return map;
    }
    throw bad(field(name) + " must be an object of strings");
  }

  /** Consul's {@code map[string][]string} (HTTP headers); a lone string is taken as one value. */
  Map<String, List<String>> stringListMap(String name) {
    Object value = raw(name);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> object)) {
      throw bad(field(name) + " must be an object of string lists");
    }
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : object.entrySet()) {
      Object values = entry.getValue();
      if (values instanceof String text) {
        map.put((String) entry.getKey(), List.of(text));
        continue;
      }
      List<String> list = new ArrayList<>();
      if (!(values instanceof List<?> items)) {
        throw bad(field(name) + " must map names to lists of strings");
      }
      for (Object item : items) {
        if (!(item instanceof String text)) {
          throw bad(field(name) + " must map names to lists of strings");
        }
        list.add(text);
      }
      map.put((String) entry.getKey(), List.copyOf(list));
    }
    return map;
  }

  /** The nested object, or null when absent. */
  ConsulObject object(String name) {
    Object value = raw(name);
    return value == null ? null : new ConsulObject(value, field(name), code);
  }

  /** The list of objects, empty when absent. */
  List<ConsulObject> objects(String name) {
    Object value = raw(name);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw bad(field(name) + " must be a list of objects");
    }
    List<ConsulObject> objects = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      objects.add(new ConsulObject(list.get(i), field(name) + "[" + i + "]", code));
    }
    return objects;
  }

  /**
   * Refuses a field Hivemind knows but does not implement, when it carries a value (an empty
   * string, list or object, false or 0 is no value), so a client relying on it learns so.
   */
  void refuseValue(String name, String why) {
    Object value = raw(name);
    boolean empty =
        value == null
            || Boolean.FALSE.equals(value)
            || Long.valueOf(0).equals(value)
            || (value instanceof String text && text.isEmpty())
            || (value instanceof List<?> list && list.isEmpty())
            || (value instanceof Map<?, ?> map && map.isEmpty());
    if (!empty) {
      throw new ApiException(400, "not_supported", field(name) + " is not supported: " + why);
    }
  }

  /** "the registration's \"Name\"", with the name as the client spelled it. */
  String field(String name) {
    String sent = sentNames.getOrDefault(key(name), name);
    return where + "'s \"" + sent + "\"";
  }

  ApiException bad(String message) {
    return ApiException.badRequest(code, message);
  }
}
