package io.hivemind.server.http;

import io.hivemind.server.http.FilterExpression.And;
import io.hivemind.server.http.FilterExpression.Match;
import io.hivemind.server.http.FilterExpression.Not;
import io.hivemind.server.http.FilterExpression.Operator;
import io.hivemind.server.http.FilterExpression.Or;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads Consul's {@code ?filter} expressions (go-bexpr's grammar, as Consul documents it):
 *
 * <pre>
 *   expression := term ("or" term)*
 *   term       := unary ("and" unary)*
 *   unary      := "not" unary | "(" expression ")" | match
 *   match      := selector ("==" | "!=") value
 *               | selector "is" ["not"] "empty"
 *               | selector ["not"] ("contains" | "matches") value
 *               | value ["not"] "in" selector
 *   selector   := identifier ("." name | "[" quoted "]")*
 *   value      := quoted | bare word (letters, digits and _ - . / : @ +)
 * </pre>
 *
 * Quoted values use double quotes (with JSON's escapes) or back quotes (raw). A mistake is a 400
 * {@code bad_filter} that says where and what was expected. An expression is at most 4,096
 * characters and 32 parentheses deep, and a pattern 512 characters: a caller cannot make the parser
 * recurse without end.
 */
final class FilterParser {

  static final int MAX_LENGTH = 4096;
  static final int MAX_DEPTH = 32;
  static final int MAX_PATTERN = 512;

  private final String text;
  private int at;

  private FilterParser(String text) {
    this.text = text;
  }

  /**
   * @throws ApiException 400 {@code bad_filter} when {@code text} is not an expression
   */
  static FilterExpression parse(String text) {
    if (text.length() > MAX_LENGTH) {
      throw ApiException.badRequest(
          "bad_filter",
          "?filter is " + text.length() + " characters long; at most " + MAX_LENGTH + " are read");
    }
    FilterParser parser = new FilterParser(text);
    FilterExpression expression = parser.expression(0);
    parser.skipSpace();
    if (parser.at < text.length()) {
      throw parser.error("expected 'and', 'or' or the end");
    }
    return expression;
  }

  private FilterExpression expression(int depth) {
    FilterExpression left = term(depth);
    while (keyword("or")) {
      left = new Or(left, term(depth));
    }
    return left;
  }

  private FilterExpression term(int depth) {
    FilterExpression left = unary(depth);
    while (keyword("and")) {
      left = new And(left, unary(depth));
    }
    return left;
  }

  private FilterExpression unary(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nested more than " + MAX_DEPTH + " deep");
    }
    if (keyword("not")) {
      return new Not(unary(depth + 1));
    }
    skipSpace();
    if (at < text.length() && text.charAt(at) == '(') {
      at++;
      FilterExpression inner = expression(depth + 1);
      skipSpace();
      if (at >= text.length() || text.charAt(at) != ')') {
        throw error("expected ')'");
      }
      at++;
      return inner;
    }
    return match();
  }

  private FilterExpression match() {
    skipSpace();
    if (at >= text.length()) {
      throw error("expected a match such as Service.Tags contains \"v1\"");
    }
    int start = at;
    String value = quoteAhead() ? quoted() : bareWord();
    int afterValue = at;
    boolean negated = keyword("not");
    if (keyword("in")) {
      return new Match(
          selector(), negated ? Operator.NOT_CONTAINS : Operator.CONTAINS, value, null);
    }
    if (afterValue == start) {
      throw error("expected a selector such as Service.Tags, or a value before 'in'");
    }
    if (quoteAhead(start)) {
      at = afterValue;
      throw error("expected 'in' or 'not in' after the quoted value");
    }
    at = start;
    List<String> selector = selector();
    return operation(selector);
  }

  private Match operation(List<String> selector) {
    skipSpace();
    if (text.startsWith("==", at) || text.startsWith("!=", at)) {
      boolean equal = text.charAt(at) == '=';
      at += 2;
      return new Match(selector, equal ? Operator.EQUAL : Operator.NOT_EQUAL, value(), null);
    }
    if (keyword("is")) {
      boolean negated = keyword("not");
      if (!keyword("empty")) {
        throw error("expected 'empty'");
      }
      return new Match(selector, negated ? Operator.IS_NOT_EMPTY : Operator.IS_EMPTY, null, null);
    }
    boolean negated = keyword("not");
    if (keyword("contains")) {
      return new Match(
          selector, negated ? Operator.NOT_CONTAINS : Operator.CONTAINS, value(), null);
    }
    if (keyword("matches")) {
      String pattern = value();
      return new Match(
          selector, negated ? Operator.NOT_MATCHES : Operator.MATCHES, pattern, compile(pattern));
    }
    throw error(
        "expected ==, !=, is empty, is not empty, contains, not contains, matches or not matches"
            + " after "
            + String.join(".", selector));
  }

  private Pattern compile(String pattern) {
    if (pattern.length() > MAX_PATTERN) {
      throw error("a pattern of " + pattern.length() + " characters; at most " + MAX_PATTERN);
    }
    try {
      return Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw error("'" + pattern + "' is not a regular expression: " + e.getDescription());
    }
  }

  private List<String> selector() {
    skipSpace();
    List<String> path = new ArrayList<>();
    int start = at;
    while (at < text.length() && identifierChar(text.charAt(at), at == start)) {
      at++;
    }
    if (at == start) {
      throw error("expected a selector such as Service.Tags");
    }
    path.add(text.substring(start, at));
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c == '.') {
        at++;
        int step = at;
        while (at < text.length() && nameChar(text.charAt(at))) {
          at++;
        }
        if (at == step) {
          throw error("expected a field name after '.'");
        }
        path.add(text.substring(step, at));
      } else if (c == '[') {
        at++;
        skipSpace();
        if (!quoteAhead()) {
          throw error("expected a quoted key after '['");
        }
        path.add(quoted());
        skipSpace();
        if (at >= text.length() || text.charAt(at) != ']') {
          throw error("expected ']'");
        }
        at++;
      } else {
        break;
      }
    }
    return path;
  }

  private String value() {
    skipSpace();
    if (quoteAhead()) {
      return quoted();
    }
    String word = bareWord();
    if (word.isEmpty()) {
      throw error("expected a value");
    }
    return word;
  }

  private String bareWord() {
    skipSpace();
    int start = at;
    while (at < text.length() && valueChar(text.charAt(at))) {
      at++;
    }
    return text.substring(start, at);
  }

  private boolean quoteAhead() {
    skipSpace();
    return quoteAhead(at);
  }

  private boolean quoteAhead(int index) {
    return index < text.length() && (text.charAt(index) == '"' || text.charAt(index) == '`');
  }

  private String quoted() {
    char quote = text.charAt(at);
    int opened = at++;
    StringBuilder value = new StringBuilder();
    while (at < text.length()) {
      char c = text.charAt(at++);
      if (c == quote) {
        return value.toString();
      }
      if (c == '\\' && quote == '"') {
        value.append(escape());
      } else {
        value.append(c);
      }
    }
    at = opened;
    throw error("a quote that is never closed");
  }

  private char escape() {
    if (at >= text.length()) {
      throw error("a backslash at the end");
    }
    char c = text.charAt(at++);
    return switch (c) {
      case '"', '\\', '/' -> c;
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'u' -> unicode();
      default -> {
        at--;
        throw error("unknown escape \\" + c);
      }
    };
  }

  private char unicode() {
    if (at + 4 > text.length()) {
      throw error("expected four hex digits after \\u");
    }
    try {
      char c = (char) Integer.parseInt(text.substring(at, at + 4), 16);
      at += 4;
      return c;
    } catch (NumberFormatException e) {
      throw error("expected four hex digits after \\u");
    }
  }

  /** Consumes {@code word} when it comes next as a whole word. */
  private boolean keyword(String word) {
    skipSpace();
    int end = at + word.length();
    if (text.startsWith(word, at) && (end == text.length() || !valueChar(text.charAt(end)))) {
      at = end;
      return true;
    }
    return false;
  }

  private void skipSpace() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private static boolean identifierChar(char c, boolean first) {
    return c == '_' || isAsciiLetter(c) || (!first && c >= '0' && c <= '9');
  }

  private static boolean nameChar(char c) {
    return c == '_' || c == '-' || isAsciiLetter(c) || (c >= '0' && c <= '9');
  }

  private static boolean valueChar(char c) {
    return nameChar(c) || c == '.' || c == '/' || c == ':' || c == '@' || c == '+';
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private ApiException error(String what) {
    return ApiException.badRequest(
        "bad_filter",
        "?filter is not an expression Hivemind reads, at character "
            + (Math.min(at, text.length()) + 1)
            + ": "
            + what
            + " (docs/catalogue-http.md, \"Filtering\")");
  }
}
