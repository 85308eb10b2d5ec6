package io.hivemind.core.catalog;

/**
 * An instance as one replica holds it, with the replica's indexes: {@code createIndex} when this
 * replica first saw it, {@code modifyIndex} when it last changed here (Consul's CreateIndex and
 * ModifyIndex; each replica numbers its own changes, so indexes never go backwards on one node).
 */
public record CatalogEntry(ServiceInstance instance, long createIndex, long modifyIndex) {}
