package io.hivemind.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hivemind.api.ApiError;
import java.util.Map;

/**
 * The Jackson configuration that reads and writes the agent API's JSON as the {@code hivemind-api}
 * records: UpperCamelCase names ({@code Name}, {@code ProtocolMin}; {@code ID} for an id), except
 * {@link ApiError}'s lower-case {@code error} and {@code message}; enums in lower case ({@code
 * "alive"}), read in any case; fields this client does not know are ignored, so newer agents can
 * add them.
 */
public final class HivemindJson {

  private HivemindJson() {}

  /**
   * A new mapper with the API's configuration; each call returns a fresh one, so callers may change
   * theirs.
   *
   * @return a mapper for the API's records
   */
  public static ObjectMapper newMapper() {
    return JsonMapper.builder()
        .propertyNamingStrategy(new ConsulNames())
        .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .addMixIn(ApiError.class, LowerCaseNames.class)
        .build();
  }

  /**
   * UpperCamelCase, with Consul's initialisms: an {@code id} is {@code ID} ({@code CatalogNode},
   * {@code RaftServer}, {@code UserEvent}), and so is the end of {@code serviceId} and {@code
   * checkId} ({@code ServiceID}, {@code CheckID}); a check's {@code ttl}, {@code http}, {@code tcp}
   * and {@code tlsSkipVerify} are {@code TTL}, {@code HTTP}, {@code TCP} and {@code TLSSkipVerify};
   * a transaction result's {@code kv} is {@code KV}.
   */
  private static final class ConsulNames extends PropertyNamingStrategies.UpperCamelCaseStrategy {
    private static final long serialVersionUID = 1L;

    private static final Map<String, String> INITIALISMS =
        Map.of(
            "id", "ID",
            "ttl", "TTL",
            "http", "HTTP",
            "tcp", "TCP",
            "tlsSkipVerify", "TLSSkipVerify",
            "kv", "KV");

    @Override
    public String translate(String name) {
      String initialism = INITIALISMS.get(name);
      if (initialism != null) {
        return initialism;
      }
      if (name.length() > 2 && name.endsWith("Id")) {
        return super.translate(name.substring(0, name.length() - 2)) + "ID";
      }
      return super.translate(name);
    }
  }

  /** Gives {@link ApiError} its lower-case names under the mapper's UpperCamelCase default. */
  @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
  private abstract static class LowerCaseNames {}
}
