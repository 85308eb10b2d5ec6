package io.hivemind.core.control;

import java.util.Map;
import java.util.Objects;

/**
 * A node registered in the catalogue through the control log (Consul's external node: {@code PUT
 * /v1/catalog/register}), not an agent: it runs no checks and lives until deregistered.
 *
 * @param name the node's name ({@link ExternalRules#MAX_NODE_NAME_BYTES})
 * @param address its address: an IP literal or a host name
 * @param taggedAddresses Consul's {@code TaggedAddresses} (lan, wan...)
 * @param meta Consul's {@code NodeMeta}
 */
public record ExternalNode(
    String name, String address, Map<String, String> taggedAddresses, Map<String, String> meta) {

  public ExternalNode {
    ExternalRules.nodeName(Objects.requireNonNull(name, "name"));
    ExternalRules.address("node address", Objects.requireNonNull(address, "address"), false);
    taggedAddresses =
        ExternalRules.map(
            "tagged address",
            taggedAddresses,
            ExternalRules.MAX_TAGGED_ADDRESSES,
            ControlFieldRules.MAX_SHORT_NAME_BYTES,
            ExternalRules.MAX_ADDRESS_CHARS);
    meta =
        ExternalRules.map(
            "node meta",
            meta,
            ExternalRules.MAX_NODE_META,
            ExternalRules.MAX_META_KEY_CHARS,
            ExternalRules.MAX_META_VALUE_CHARS);
  }

  /** The owner id its instances carry in catalogue answers. */
  public String ownerId() {
    return ExternalRules.OWNER_PREFIX + name;
  }
}
