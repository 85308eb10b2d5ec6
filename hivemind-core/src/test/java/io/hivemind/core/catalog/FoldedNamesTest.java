package io.hivemind.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The folded-name lookup against a scan of the names in order with {@link String#equalsIgnoreCase},
 * the rule it replaces, after random additions and removals of names that differ only in case.
 */
class FoldedNamesTest {

  private static final long SEED = 13;
  private static final String[] SPELLINGS = {"web", "Web", "WEB", "wEb", "api", "API", "db", "ß"};

  @Test
  void randomNames_answerAsAScanIgnoringCase() {
    SplittableRandom random = new SplittableRandom(SEED);
    FoldedNames folded = new FoldedNames();
    TreeSet<String> names = new TreeSet<>();
    for (int step = 0; step < 2_000; step++) {
      String name = SPELLINGS[random.nextInt(SPELLINGS.length)] + random.nextInt(3);
      if (random.nextBoolean()) {
        names.add(name);
        folded.added(name);
      } else {
        names.remove(name);
        folded.removed(name);
      }
      Map<String, String> published = folded.map();
      for (String query : SPELLINGS) {
        String probe = query.toUpperCase() + random.nextInt(3);
        assertThat(published.get(FoldedNames.fold(probe))).isEqualTo(scan(names, probe));
      }
      assertThat(published).isEqualTo(FoldedNames.of(names));
    }
  }

  @Test
  void fold_equalExactlyWhenEqualIgnoringCase() {
    String[] words = {"Web", "wEB", "İx", "ix", "ǅ", "ǆ", "Ǆ", "ſ", "s", "S", "Σ", "σ", "ς"};
    for (String a : words) {
      for (String b : words) {
        assertThat(FoldedNames.fold(a).equals(FoldedNames.fold(b)))
            .as("%s vs %s", a, b)
            .isEqualTo(a.equalsIgnoreCase(b));
      }
    }
  }

  private static String scan(TreeSet<String> names, String probe) {
    for (String name : names) {
      if (name.equalsIgnoreCase(probe)) {
        return name;
      }
    }
    return null;
  }
}
