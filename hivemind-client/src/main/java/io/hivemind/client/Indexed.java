package io.hivemind.client;

/**
 * An answer and the index it was read at ({@code X-Consul-Index}): pass the index to the next
 * blocking call to wait for a change after it.
 *
 * @param value the answer
 * @param index at least 1: the control plane's log index for its reads, the agent's catalogue index
 *     (of the service, for one service's reads) for catalogue reads
 * @param <T> the answer's type
 */
public record Indexed<T>(T value, long index) {}
