package io.hivemind.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request's {@code ?filter} (Consul 1.5's filtering, docs/catalogue-http.md "Filtering"), applied
 * to the answer the endpoint would give without it: the answer is read back as a {@link JsonTree},
 * and each element of its list (or each value of its map, as {@code /v1/agent/services} keys them
 * by id) is kept when the expression holds for it. Selectors are therefore the answer's own field
 * names ({@code Service.Tags}, {@code ServiceMeta.version}, {@code Status}), as Consul's are its
 * structs' JSON names. The unfiltered answer stays what the endpoint caches; only a filtered
 * request pays for reading it back.
 */
final class ConsulFilter {

  private final FilterExpression expression;

  private ConsulFilter(FilterExpression expression) {
    this.expression = expression;
  }

  /**
   * The request's filter; empty without one or with an empty one (as Consul).
   *
   * @throws ApiException 400 {@code bad_filter} when it is not an expression
   */
  static Optional<ConsulFilter> of(ApiRequest request) {
    String text = request.queryParam("filter");
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(parse(text));
  }

  static ConsulFilter parse(String text) {
    return new ConsulFilter(FilterParser.parse(text));
  }

  /** {@code answer} as the request's filter leaves it: unchanged without one. */
  static byte[] applied(Optional<ConsulFilter> filter, byte[] answer) {
    return filter.isPresent() ? filter.get().apply(answer) : answer;
  }

  /** {@code answer} (a list or a map of elements) with only the elements the filter keeps. */
  byte[] apply(byte[] answer) {
    Object kept = keep(JsonTree.read(answer), RegexBudget.standard());
    return ApiJson.write(json -> JsonTree.write(json, kept));
  }

  /**
   * {@code answer}, an object, with only the elements of its {@code field} the filter keeps ({@code
   * /v1/catalog/node/{node}}'s {@code Services}); a null answer stays null.
   */
  byte[] applyWithin(byte[] answer, String field) {
    Object tree = JsonTree.read(answer);
    if (tree instanceof Map<?, ?> object && object.get(field) != null) {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) object;
      fields.put(field, keep(fields.get(field), RegexBudget.standard()));
    }
    return ApiJson.write(json -> JsonTree.write(json, tree));
  }

  boolean test(Object element, RegexBudget budget) {
    return expression.test(element, budget);
  }

  private Object keep(Object elements, RegexBudget budget) {
    if (elements instanceof List<?> list) {
      return keepList(list, budget);
    }
    if (elements instanceof Map<?, ?> map) {
      Map<Object, Object> kept = new LinkedHashMap<>();
      map.forEach(
          (key, value) -> {
            if (expression.test(value, budget)) {
              kept.put(key, value);
            }
          });
      return kept;
    }
    return elements;
  }

  private List<Object> keepList(List<?> list, RegexBudget budget) {
    List<Object> kept = new ArrayList<>();
    for (Object element : list) {
      if (expression.test(element, budget)) {
        kept.add(element);
      }
    }
    return kept;
  }
}
