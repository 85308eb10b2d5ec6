/**
 * The service catalogue's replicated state, pure: owners' ledgers, the replica every node keeps,
 * the versions and digests that repair it. See docs/protocol/catalogue.md.
 *
 * <p>Ephemeral registrations are owned, not voted on: the agent a client is connected to is the
 * only writer of that client's instances ({@link OwnerLedger}); every node's {@link CatalogReplica}
 * accepts an owner's changes in its version order and drops everything the owner held when the
 * control plane commits the owner's removal. No other rule deletes another owner's entries.
 */
package io.hivemind.core.catalog;
