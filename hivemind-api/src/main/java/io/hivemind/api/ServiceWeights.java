package io.hivemind.api;

/**
 * How much traffic an instance should get relative to its peers, by its health, in Consul's shape:
 * {@code {"Passing": 1, "Warning": 1}}. A critical instance gets none.
 *
 * @param passing the weight while the instance passes, 1 to 65535
 * @param warning the weight while it warns, 0 to 65535
 */
public record ServiceWeights(int passing, int warning) {}
