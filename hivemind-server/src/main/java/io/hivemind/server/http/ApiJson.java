package io.hivemind.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hivemind.api.ApiError;
import io.vertx.core.buffer.Buffer;

/**
 * The JSON form of the hivemind-api records: UpperCamelCase names as Consul writes them, enums in
 * lower case, map entries sorted so that answers are stable. hivemind-api has no dependencies, so
 * the naming lives here (and, the same, in the client's {@code HivemindJson}).
 */
final class ApiJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
          .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .addMixIn(ApiError.class, LowerCaseNames.class)
          .build();

  private ApiJson() {}

  /** {@code value} as UTF-8 JSON. */
  static Buffer write(Object value) {
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      // Only our own records reach here; failing to write one is a bug, not a bad request.
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /** {@code {"error": ..., "message": ...}}: the error shape keeps Consul's lower-case names. */
  @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
  private abstract static class LowerCaseNames {}
}
