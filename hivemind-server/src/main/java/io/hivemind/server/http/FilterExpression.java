package io.hivemind.server.http;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One parsed expression of Consul's {@code ?filter} language (go-bexpr): matches joined by {@code
 * and}, {@code or}, {@code not} and parentheses, tested against one element of an answer read as a
 * {@link JsonTree}. {@link FilterParser} makes them.
 */
sealed interface FilterExpression {

  /** Whether {@code element} (a {@link JsonTree} value) satisfies this expression. */
  boolean test(Object element, RegexBudget budget);

  record And(FilterExpression left, FilterExpression right) implements FilterExpression {
    @Override
    public boolean test(Object element, RegexBudget budget) {
      return left.test(element, budget) && right.test(element, budget);
    }
  }

  record Or(FilterExpression left, FilterExpression right) implements FilterExpression {
    @Override
    public boolean test(Object element, RegexBudget budget) {
      return left.test(element, budget) || right.test(element, budget);
    }
  }

  record Not(FilterExpression inner) implements FilterExpression {
    @Override
    public boolean test(Object element, RegexBudget budget) {
      return !inner.test(element, budget);
    }
  }

  /** What a match asks of the value its selector names. */
  enum Operator {
    EQUAL,
    NOT_EQUAL,
    IS_EMPTY,
    IS_NOT_EMPTY,
    /** {@code Selector contains Value}, also written {@code Value in Selector}. */
    CONTAINS,
    NOT_CONTAINS,
    MATCHES,
    NOT_MATCHES
  }

  /**
   * {@code selector operator value}.
   *
   * @param selector the path of field names and map keys, as in {@code Service.Meta.version}
   * @param value the value compared with, as written; null for the emptiness tests
   * @param pattern the compiled value of a {@code matches}, null otherwise
   */
  record Match(List<String> selector, Operator operator, String value, Pattern pattern)
      implements FilterExpression {

    public Match {
      selector = List.copyOf(selector);
      Objects.requireNonNull(operator, "operator");
    }

    @Override
    public boolean test(Object element, RegexBudget budget) {
      Object field = JsonTree.select(element, selector);
      return switch (operator) {
        case EQUAL -> equal(field, value);
        case NOT_EQUAL -> !equal(field, value);
        case IS_EMPTY -> empty(field);
        case IS_NOT_EMPTY -> !empty(field);
        case CONTAINS -> contains(field, value);
        case NOT_CONTAINS -> !contains(field, value);
        case MATCHES -> matches(field, pattern, budget);
        case NOT_MATCHES -> !matches(field, pattern, budget);
      };
    }

    /**
     * A string equals the text; a number the number the text reads as (Consul compares {@code
     * Service.Port == 8080} as numbers); a boolean Go's boolean text; a list of what a selector
     * found across a list's elements when any of them does. Anything else, or a missing field,
     * equals nothing.
     */
    private static boolean equal(Object field, String value) {
      if (field instanceof List<?> values) {
        return contains(values, value);
      }
      if (field instanceof String text) {
        return text.equals(value);
      }
      if (field instanceof Number number) {
        try {
          return new BigDecimal(number.toString()).compareTo(new BigDecimal(value)) == 0;
        } catch (NumberFormatException e) {
          return false;
        }
      }
      if (field instanceof Boolean flag) {
        return QueryParams.goBoolean(value).map(flag::equals).orElse(false);
      }
      return false;
    }

    /** Missing, null, or an empty string, list or map. */
    private static boolean empty(Object field) {
      return field == JsonTree.MISSING
          || field == null
          || (field instanceof String text && text.isEmpty())
          || (field instanceof List<?> list && list.isEmpty())
          || (field instanceof Map<?, ?> map && map.isEmpty());
    }

    /** A list holding the value, a map with it as a key, a string with it inside. */
    private static boolean contains(Object field, String value) {
      if (field instanceof List<?> list) {
        for (Object item : list) {
          if (item != null
              && !(item instanceof List)
              && !(item instanceof Map)
              && equal(item, value)) {
            return true;
          }
        }
        return false;
      }
      if (field instanceof Map<?, ?> map) {
        return map.containsKey(value);
      }
      return field instanceof String text && text.contains(value);
    }

    /** A string in which the pattern finds a match (unanchored, as Go's {@code MatchString}). */
    private static boolean matches(Object field, Pattern pattern, RegexBudget budget) {
      return field instanceof String text && pattern.matcher(budget.bound(text)).find();
    }
  }
}
