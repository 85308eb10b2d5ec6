package io.hivemind.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.Environment;
import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.Weights;
import io.hivemind.server.http.CatalogNodes.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link CatalogServiceFields} is what a filter reads instead of {@link CatalogJson}'s flat
 * instance: the two must say the same, field for field, or {@code /v1/catalog/services?filter=}
 * would keep what {@code /v1/catalog/service/{name}?filter=} drops.
 */
class CatalogServiceFieldsTest {

  private static final Node NODE =
      new Node(
          "id-1",
          "node-1",
          "10.0.0.1",
          "dc1",
          Map.of("lan", "10.0.0.1", "wan", "1.2.3.4"),
          Map.of("zone", "b", "roles", "catalog,dns"),
          7);
  private static final Node BARE =
      new Node("id-2", "node-2", "10.0.0.2", "dc1", Map.of(), Map.of(), 0);

  private static CatalogEntry entry(List<String> tags, Map<String, String> meta, Weights weights) {
    return new CatalogEntry(
        new ServiceInstance(
            "web",
            "web-1",
            "192.168.1.9",
            8080,
            tags,
            meta,
            weights,
            Environment.DEVELOPMENT,
            "id-1",
            ServiceInstance.AGENT_SESSION,
            List.of()),
        12,
        345_678_901_234L);
  }

  private static void assertSameAsTheJson(CatalogEntry entry, Node node) {
    Object written = JsonTree.read(CatalogJson.catalogService(entry, node));
    CatalogServiceFields fields = new CatalogServiceFields(entry, node);
    Object lazy = JsonTree.read(ApiJson.write(json -> JsonTree.write(json, fields)));

    assertThat(lazy).isEqualTo(written);
    assertThat(List.<Object>copyOf(((Map<?, ?>) written).keySet()))
        .isEqualTo(List.<Object>copyOf(CatalogServiceFields.NAMES));
    for (String name : CatalogServiceFields.NAMES) {
      assertThat(fields.containsKey(name)).as(name).isTrue();
    }
  }

  @Test
  void everyField_asCatalogJsonWritesIt() {
    assertSameAsTheJson(
        entry(List.of("v1", "primary"), Map.of("version", "1.2", "a.b", "c"), new Weights(3, 1)),
        NODE);
    assertSameAsTheJson(entry(List.of(), Map.of(), Weights.DEFAULT), BARE);
  }

  @Test
  void unknownFields_absentAndNull() {
    CatalogServiceFields fields =
        new CatalogServiceFields(entry(List.of(), Map.of(), Weights.DEFAULT), NODE);

    assertThat(fields.containsKey("Service")).isFalse();
    assertThat(fields.get("Service")).isNull();
    assertThat(fields.get(42)).isNull();
    assertThat(JsonTree.select(fields, List.of("NodeMeta", "zone"))).isEqualTo("b");
    assertThat(JsonTree.select(fields, List.of("Nope"))).isSameAs(JsonTree.MISSING);
  }
}
