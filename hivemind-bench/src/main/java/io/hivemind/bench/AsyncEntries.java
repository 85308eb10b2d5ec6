package io.hivemind.bench;

import java.util.concurrent.CompletableFuture;

/**
 * A partitioned map under {@link EntryPass}: asynchronous puts and gets, each future completing
 * once the store answered (a put: after its synchronous backups) or exceptionally when the call
 * failed. Thread-safe.
 */
interface AsyncEntries {

  CompletableFuture<?> put(String key, byte[] value);

  /** Completes with the value, or null when the key is absent. */
  CompletableFuture<byte[]> get(String key);
}
