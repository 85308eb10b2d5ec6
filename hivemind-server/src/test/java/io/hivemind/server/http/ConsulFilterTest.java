package io.hivemind.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Consul's filter language as {@link FilterParser} reads it and {@link FilterExpression} applies it
 * to answers read back as {@link JsonTree}s: every operator, precedence, quoting, and the mistakes
 * and hostile inputs a caller can send.
 */
class ConsulFilterTest {

  private static final String WEB =
      "{\"Node\":{\"Node\":\"n1\",\"Meta\":{\"zone\":\"a\"}},"
          + "\"Service\":{\"ID\":\"web-1\",\"Service\":\"web\",\"Tags\":[\"v1\",\"primary\"],"
          + "\"Meta\":{\"version\":\"1.2\",\"a.b\":\"dotted\"},\"Port\":8080,"
          + "\"Address\":\"10.0.0.1\",\"EnableTagOverride\":false},"
          + "\"Checks\":[{\"Status\":\"passing\"}]}";
  private static final String DB =
      "{\"Node\":{\"Node\":\"n2\",\"Meta\":{}},"
          + "\"Service\":{\"ID\":\"db-1\",\"Service\":\"db\",\"Tags\":[],\"Meta\":{},\"Port\":5432,"
          + "\"Address\":\"\",\"EnableTagOverride\":true},\"Checks\":[]}";

  private static Object tree(String json) {
    return JsonTree.read(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The ids of the services {@code filter} keeps of web-1 and db-1. */
  private static List<String> kept(String filter) {
    String answer =
        new String(
            ConsulFilter.parse(filter)
                .apply(("[" + WEB + "," + DB + "]").getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8);
    List<?> list = (List<?>) tree(answer);
    return list.stream().map(e -> (String) JsonTree.select(e, List.of("Service", "ID"))).toList();
  }

  private static void assertBad(String filter, String fragment) {
    assertThatThrownBy(() -> ConsulFilter.parse(filter))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo("bad_filter");
              assertThat(e.getMessage()).contains(fragment);
            });
  }

  @Test
  void equality_stringsNumbersAndBooleans() {
    assertThat(kept("Service.Service == web")).containsExactly("web-1");
    assertThat(kept("Service.Service == \"db\"")).containsExactly("db-1");
    assertThat(kept("Service.Service != web")).containsExactly("db-1");
    assertThat(kept("Service.Port == 8080")).containsExactly("web-1");
    assertThat(kept("Service.Port != 8080")).containsExactly("db-1");
    assertThat(kept("Service.EnableTagOverride == true")).containsExactly("db-1");
    assertThat(kept("Service.Port == eighty")).isEmpty();
  }

  @Test
  void membership_listsMapsAndStrings_inBothSpellings() {
    assertThat(kept("Service.Tags contains v1")).containsExactly("web-1");
    assertThat(kept("\"primary\" in Service.Tags")).containsExactly("web-1");
    assertThat(kept("v1 not in Service.Tags")).containsExactly("db-1");
    assertThat(kept("Service.Tags not contains v1")).containsExactly("db-1");
    assertThat(kept("Service.Meta contains version")).containsExactly("web-1");
    assertThat(kept("Service.Address contains \"10.0\"")).containsExactly("web-1");
  }

  @Test
  void emptiness_missingFieldsAreEmpty() {
    assertThat(kept("Service.Tags is empty")).containsExactly("db-1");
    assertThat(kept("Node.Meta is not empty")).containsExactly("web-1");
    assertThat(kept("Service.Meta.version is empty")).containsExactly("db-1");
    assertThat(kept("Service.NoSuchField is empty")).containsExactly("web-1", "db-1");
    assertThat(kept("Service.Meta.version == \"1.2\"")).containsExactly("web-1");
    assertThat(kept("Service.Meta.missing != x")).containsExactly("web-1", "db-1");
  }

  @Test
  void selectorsThroughLists_anyElement() {
    assertThat(kept("Checks.Status == passing")).containsExactly("web-1");
    assertThat(kept("Checks.Status != passing")).containsExactly("db-1");
    assertThat(kept("passing in Checks.Status")).containsExactly("web-1");
    assertThat(kept("Checks.Status is empty")).containsExactly("db-1");
  }

  @Test
  void selectors_dottedAndQuotedKeys() {
    assertThat(kept("Service.Meta[\"a.b\"] == dotted")).containsExactly("web-1");
    assertThat(kept("Node.Meta.zone == a")).containsExactly("web-1");
    assertThat(kept("Service.Meta[ `a.b` ] == dotted")).containsExactly("web-1");
  }

  @Test
  void regularExpressions_unanchoredAsGo() {
    assertThat(kept("Service.Service matches \"^w\"")).containsExactly("web-1");
    assertThat(kept("Service.ID matches `-\\d$`")).containsExactly("web-1", "db-1");
    assertThat(kept("Service.Service not matches eb")).containsExactly("db-1");
    assertThat(kept("Service.Tags matches v1")).isEmpty();
  }

  @Test
  void logic_andBindsTighterThanOr_notAndParentheses() {
    assertThat(kept("Service.Service == db or Service.Service == web and Service.Port == 1"))
        .containsExactly("db-1");
    assertThat(kept("(Service.Service == db or Service.Service == web) and Service.Port == 1"))
        .isEmpty();
    assertThat(kept("not Service.Service == db")).containsExactly("web-1");
    assertThat(kept("not (Service.Tags is empty or Service.Port == 1)")).containsExactly("web-1");
    assertThat(kept("Service.Tags is empty or not (Service.Port == 8080)")).containsExactly("db-1");
  }

  @Test
  void quotedValues_escapesAndRawStrings() {
    Object element = tree("{\"Name\":\"a \\\"b\\\" \\u00e9\",\"Path\":\"c:\\\\d\"}");
    assertThat(test("Name == \"a \\\"b\\\" \\u00e9\"", element)).isTrue();
    assertThat(test("Path == `c:\\d`", element)).isTrue();
    assertThat(test("Path == \"c:\\\\d\"", element)).isTrue();
  }

  private static boolean test(String filter, Object element) {
    return ConsulFilter.parse(filter).test(element, RegexBudget.standard());
  }

  @Test
  void mistakes_400WithWhereAndWhat() {
    assertBad("Service.Tags contains", "character 22: expected a value");
    assertBad("Service.Tags", "expected ==, !=");
    assertBad("Service.Tags == v1 v2", "expected 'and', 'or' or the end");
    assertBad("(Service.Port == 1", "expected ')'");
    assertBad("Service.Name == \"open", "a quote that is never closed");
    assertBad("Service.Name == \"\\q\"", "unknown escape");
    assertBad("Service.Name matches \"(\"", "is not a regular expression");
    assertBad("\"v1\" Service.Tags", "expected 'in' or 'not in'");
    assertBad("== v1", "expected a selector");
    assertBad("Service. == v1", "expected a field name after '.'");
    assertBad("Service.Meta[version] == v1", "expected a quoted key");
    assertBad("Service.Tags is full", "expected 'empty'");
    assertBad("a == b and", "expected a match");
  }

  @Test
  void hostile_deepNestingLongInputAndHugePatternsRefused() {
    assertBad("(".repeat(10_000) + "a == b" + ")".repeat(10_000), "characters long");
    assertBad("(".repeat(40) + "a == b" + ")".repeat(40), "nested more than 32 deep");
    assertBad("not ".repeat(40) + "a == b", "nested more than 32 deep");
    assertBad("a matches \"" + "x".repeat(600) + "\"", "at most 512");
    // Long and/or chains are loops, not recursion: accepted up to the length limit.
    assertThat(test("a == b" + " or a == c".repeat(400), tree("{\"a\":\"c\"}"))).isTrue();
  }

  @Test
  void hostile_catastrophicBacktracking_stopsWith400() {
    Object element = tree("{\"ID\":\"" + "a".repeat(40) + "!\"}");
    ConsulFilter filter = ConsulFilter.parse("ID matches `^(a+)+\\1$`");

    assertThatThrownBy(() -> filter.test(element, RegexBudget.standard()))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("filter_too_expensive"));
    assertThat(filter.test(tree("{\"ID\":\"aaaa\"}"), RegexBudget.standard())).isTrue();
  }

  @Test
  void answersAsMaps_valuesFiltered_keysKept() {
    byte[] byId =
        ("{\"web-1\":" + "{\"Service\":\"web\"}" + ",\"db-1\":{\"Service\":\"db\"}}")
            .getBytes(StandardCharsets.UTF_8);

    String kept =
        new String(ConsulFilter.parse("Service == db").apply(byId), StandardCharsets.UTF_8);

    assertThat(kept).isEqualTo("{\"db-1\":{\"Service\":\"db\"}}");
  }

  @Test
  void readBackAndWrittenAgain_numbersAndNullsUnchanged() {
    String json = "[{\"A\":1,\"B\":12345678901234,\"C\":1.5,\"D\":null,\"E\":[true,false]}]";

    String again =
        new String(
            ConsulFilter.parse("A == 1").apply(json.getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8);

    assertThat(again).isEqualTo(json);
  }
}
