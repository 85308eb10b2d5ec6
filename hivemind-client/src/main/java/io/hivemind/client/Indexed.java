package io.hivemind.client;

/**
 * An answer and the control-plane index it was read at ({@code X-Consul-Index}): pass the index to
 * the next blocking call to wait for a change after it.
 *
 * @param value the answer
 * @param index the agent's log index at the answer, at least 1
 * @param <T> the answer's type
 */
public record Indexed<T>(T value, long index) {}
