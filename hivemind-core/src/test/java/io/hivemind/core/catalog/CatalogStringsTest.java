package io.hivemind.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.Environment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogStringsTest {

  private final CatalogStrings strings = new CatalogStrings();

  @Test
  void share_equalStrings_returnsTheFirstObject() {
    String first = new String("web");
    String second = new String("web");

    assertThat(strings.share(first)).isSameAs(first);
    assertThat(strings.share(second)).isSameAs(first);
  }

  @Test
  void share_poolFull_startsAgainInsteadOfGrowing() {
    String early = new String("early");
    strings.share(early);
    for (int i = 0; i < CatalogStrings.CAPACITY; i++) {
      strings.share("value-" + i);
    }
    String again = new String("early");

    // The pool was emptied when full, so the early string is no longer the one handed out.
    assertThat(strings.share(again)).isSameAs(again);
  }

  @Test
  void shareInstance_decodedCopies_sameValueWithSharedStrings() {
    ServiceInstance a = decodedLike("web", "web-1", "v1", "1.4.2");
    ServiceInstance b = decodedLike("web", "web-2", "v1", "1.4.2");

    ServiceInstance sharedA = strings.share(a);
    ServiceInstance sharedB = strings.share(b);

    assertThat(sharedA).isEqualTo(a);
    assertThat(sharedB).isEqualTo(b);
    assertThat(sharedB.service()).isSameAs(sharedA.service());
    assertThat(sharedB.owner()).isSameAs(sharedA.owner());
    assertThat(sharedB.session()).isSameAs(sharedA.session());
    assertThat(sharedB.tags().get(0)).isSameAs(sharedA.tags().get(0));
    String keyA = sharedA.meta().keySet().iterator().next();
    String keyB = sharedB.meta().keySet().iterator().next();
    assertThat(keyB).isSameAs(keyA);
    assertThat(sharedB.meta().get(keyB)).isSameAs(sharedA.meta().get(keyA));
    assertThat(sharedB.weights()).isSameAs(Weights.DEFAULT);
  }

  @Test
  void shareInstance_stringsPooledAlready_returnsTheInstanceItself() {
    ServiceInstance first = decodedLike("web", "web-1", "v1", "1.4.2");

    // The first instance brings the strings the pool keeps, so it holds the pooled ones: an
    // agent's own instance, also held by its ledger, is not copied.
    assertThat(strings.share(first)).isSameAs(first);
    assertThat(strings.share(decodedLike("web", "web-2", "v1", "1.4.2"))).isNotSameAs(first);
  }

  /** An instance whose strings are all fresh objects, as a decoded frame gives them. */
  private static ServiceInstance decodedLike(
      String service, String id, String tag, String version) {
    return new ServiceInstance(
        new String(service),
        new String(id),
        "10.0.0.1",
        80,
        List.of(new String(tag)),
        Map.of(new String("version"), new String(version)),
        new Weights(1, 1),
        Environment.DEVELOPMENT,
        new String("node-1"),
        new String(ServiceInstance.AGENT_SESSION),
        List.of());
  }
}
