package io.hivemind.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The owner of every partition, as one agent's committed partition table had it ({@code GET
 * /v1/partitions/owners}), reduced to what routing needs: the table's version, its partition count
 * and each partition's owner's HTTP address (null when the table names no owner, or the owner has
 * not announced an address) and its state client address (state_client.proto; null when it
 * announced none: an older agent). Immutable.
 *
 * @param version the partition table's version
 * @param partitionCount P, for {@link io.hivemind.api.StateKeys#partition}
 * @param ownerAddresses by partition: the owner's base URI, or null
 * @param ownerStateClients by partition: the owner's state client address, unresolved, or null
 */
record StateOwners(
    long version,
    int partitionCount,
    List<URI> ownerAddresses,
    List<InetSocketAddress> ownerStateClients) {

  StateOwners {
    if (partitionCount < 1
        || ownerAddresses.size() != partitionCount
        || ownerStateClients.size() != partitionCount) {
      throw new IllegalArgumentException(
          "a table of " + partitionCount + " partitions has " + ownerAddresses.size() + " owners");
    }
    ownerAddresses = Collections.unmodifiableList(new ArrayList<>(ownerAddresses));
    ownerStateClients = Collections.unmodifiableList(new ArrayList<>(ownerStateClients));
  }

  /** A table of HTTP addresses only, as agents without a state client port announce. */
  StateOwners(long version, int partitionCount, List<URI> ownerAddresses) {
    this(
        version,
        partitionCount,
        ownerAddresses,
        Collections.nCopies(ownerAddresses.size(), (InetSocketAddress) null));
  }

  /** The owner's state client address, when the table names one. */
  Optional<InetSocketAddress> stateClient(int partition) {
    return Optional.ofNullable(ownerStateClients.get(partition));
  }

  /** The owner's base URI, when the table names one with an address. */
  Optional<URI> owner(int partition) {
    return Optional.ofNullable(ownerAddresses.get(partition));
  }

  /**
   * Reads the agent's answer: {@code {"version":v,"partitionCount":P,"members":[{"id":..,"name":..,
   * "http":"host:port","stateClient":"host:port"}..],"owners":[member index per partition, -1
   * none]}}; a member without {@code "stateClient"}, or with "", is reached over HTTP only.
   *
   * @param scheme the scheme of the members' addresses: the configured agent's ({@code http} or
   *     {@code https}), since every agent of a cluster serves its API the same way
   * @throws IOException when the JSON does not have that shape
   */
  static StateOwners parse(ObjectMapper json, byte[] body, String scheme) throws IOException {
    JsonNode root = json.readTree(body);
    if (root == null || !root.isObject()) {
      throw new IOException("the partition owners are not a JSON object");
    }
    long version = requireNumber(root, "version").asLong();
    int partitionCount = requireNumber(root, "partitionCount").asInt();
    List<URI> members = members(root.path("members"), scheme);
    List<InetSocketAddress> stateClients = stateClients(root.path("members"));
    JsonNode owners = root.path("owners");
    if (!owners.isArray() || owners.size() != partitionCount || partitionCount < 1) {
      throw new IOException(
          "expected an owner for each of " + partitionCount + " partitions, got " + owners);
    }
    List<URI> addresses = new ArrayList<>(partitionCount);
    List<InetSocketAddress> binary = new ArrayList<>(partitionCount);
    for (JsonNode owner : owners) {
      int index = owner.asInt(-2);
      if (!owner.isIntegralNumber() || index < -1 || index >= members.size()) {
        throw new IOException("an owner is not -1 nor a member's index: " + owner);
      }
      addresses.add(index < 0 ? null : members.get(index));
      binary.add(index < 0 ? null : stateClients.get(index));
    }
    return new StateOwners(version, partitionCount, addresses, binary);
  }

  private static JsonNode requireNumber(JsonNode root, String field) throws IOException {
    JsonNode node = root.path(field);
    if (!node.isIntegralNumber()) {
      throw new IOException("the partition owners have no number '" + field + "'");
    }
    return node;
  }

  /** The members' base URIs by index; null for a member without an HTTP address. */
  private static List<URI> members(JsonNode members, String scheme) throws IOException {
    if (!members.isArray()) {
      throw new IOException("the partition owners have no 'members' list");
    }
    List<URI> addresses = new ArrayList<>(members.size());
    for (JsonNode member : members) {
      String http = member.path("http").asText("");
      addresses.add(http.isBlank() ? null : address(scheme, http));
    }
    return addresses;
  }

  /** The members' state client addresses by index; null for a member that announced none. */
  private static List<InetSocketAddress> stateClients(JsonNode members) throws IOException {
    List<InetSocketAddress> addresses = new ArrayList<>(members.size());
    for (JsonNode member : members) {
      String hostPort = member.path("stateClient").asText("").strip();
      if (hostPort.isEmpty()) {
        addresses.add(null);
        continue;
      }
      URI uri = address("tcp", hostPort);
      String host = uri.getHost();
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      addresses.add(InetSocketAddress.createUnresolved(host, uri.getPort()));
    }
    return addresses;
  }

  private static URI address(String scheme, String hostPort) throws IOException {
    try {
      URI uri = URI.create(scheme + "://" + hostPort.strip());
      if (uri.getHost() == null || uri.getPort() < 1 || !uri.getRawPath().isEmpty()) {
        throw new IOException("a member's address is not host:port: " + hostPort);
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IOException("a member's address is not host:port: " + hostPort, e);
    }
  }
}
