package io.hivemind.core.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares the strings many instances hold alike (service names, owners, sessions, tags, meta)
 * between the instances a replica holds (meta values too: versions and zones repeat). Every decoded
 * instance brings its own copies of them, and strings were three quarters of a replica's heap: 14
 * strings an instance, about 870 of its 1,240 bytes (docs/benchmarks.md, "Catalogue memory").
 *
 * <p>The pool is bounded: when it holds {@link #CAPACITY} strings it is emptied and fills again, so
 * values that do not repeat (a meta value that is unique per instance) cost at most that much and
 * cannot grow it without bound; the values that repeat are back in it after a few instances.
 * Sharing changes no value, only which equal object an instance points to.
 *
 * <p>Not thread-safe: used by its replica's owning thread.
 */
final class CatalogStrings {

  /**
   * Strings held at most: about 400 KB of pool for names of 40 characters, far more than the
   * distinct service names, tags and meta keys of a large catalogue.
   */
  static final int CAPACITY = 4_096;

  private final Map<String, String> pool = new HashMap<>();

  /** The pooled string equal to {@code value}, pooling it when there is none yet. */
  String share(String value) {
    String pooled = pool.get(value);
    if (pooled != null) {
      return pooled;
    }
    if (pool.size() >= CAPACITY) {
      pool.clear();
    }
    pool.put(value, value);
    return value;
  }

  /**
   * {@code instance} with its repeated strings shared (an equal instance); {@code instance} itself
   * when it holds the pooled strings already, so an agent's own instances, which its ledger holds
   * too, are not copied.
   */
  ServiceInstance share(ServiceInstance instance) {
    String service = share(instance.service());
    String owner = share(instance.owner());
    String session = share(instance.session());
    List<String> tags = shareAll(instance.tags());
    Map<String, String> meta = shareEntries(instance.meta());
    Weights weights =
        Weights.DEFAULT.equals(instance.weights()) ? Weights.DEFAULT : instance.weights();
    if (service == instance.service()
        && owner == instance.owner()
        && session == instance.session()
        && tags == instance.tags()
        && meta == instance.meta()) {
      // Equal weights that are not the shared default do not make a copy worth it.
      return instance;
    }
    return new ServiceInstance(
        service,
        instance.id(),
        instance.address(),
        instance.port(),
        tags,
        meta,
        weights,
        instance.environment(),
        owner,
        session,
        instance.checks());
  }

  /** {@code values} itself when each is pooled already, else a list of the pooled ones. */
  private List<String> shareAll(List<String> values) {
    List<String> shared = new ArrayList<>(values.size());
    boolean same = true;
    for (String value : values) {
      String pooled = share(value);
      same &= pooled == value;
      shared.add(pooled);
    }
    return same ? values : shared;
  }

  /** {@code meta} itself when its keys and values are pooled already, else a pooled copy. */
  private Map<String, String> shareEntries(Map<String, String> meta) {
    Map<String, String> shared = new LinkedHashMap<>();
    boolean same = true;
    for (Map.Entry<String, String> entry : meta.entrySet()) {
      String key = share(entry.getKey());
      String value = share(entry.getValue());
      same &= key == entry.getKey() && value == entry.getValue();
      shared.put(key, value);
    }
    return same ? meta : shared;
  }
}
