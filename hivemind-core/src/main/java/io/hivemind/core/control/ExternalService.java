package io.hivemind.core.control;

import io.hivemind.core.catalog.CatalogNames;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.Weights;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A service of an {@link ExternalNode}, as {@code PUT /v1/catalog/register} gives it; its bounds
 * are {@link ServiceInstance}'s, so every replica can turn it into an instance.
 *
 * @param id unique on its node
 * @param service the service's name ({@link CatalogNames#requireServiceName})
 * @param tags in the order given, duplicates dropped
 * @param address "" means the node's address
 * @param port 0..65535
 */
public record ExternalService(
    String id,
    String service,
    List<String> tags,
    String address,
    int port,
    Map<String, String> meta,
    Weights weights) {

  public ExternalService {
    CatalogNames.requireServiceName(service); // first: an id defaults to the name
    ExternalRules.id("service id", Objects.requireNonNull(id, "id"), false);
    tags = List.copyOf(new LinkedHashSet<>(tags));
    if (tags.size() > ServiceInstance.MAX_TAGS) {
      throw new IllegalArgumentException(
          tags.size() + " tags, more than " + ServiceInstance.MAX_TAGS);
    }
    tags.forEach(tag -> ExternalRules.text("tag", tag, ServiceInstance.MAX_TEXT));
    ExternalRules.address("service address", Objects.requireNonNull(address, "address"), true);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("service port " + port + " is not 0..65535");
    }
    meta =
        ExternalRules.map(
            "service meta",
            meta,
            ServiceInstance.MAX_META,
            ServiceInstance.MAX_TEXT,
            ServiceInstance.MAX_TEXT);
    Objects.requireNonNull(weights, "weights");
  }
}
