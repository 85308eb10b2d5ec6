package io.hivemind.server.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.server.http.CatalogRegisterJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code services:} key of the agent's YAML file: external services the agent registers through
 * the control log once it has joined (issue 11; {@link
 * io.hivemind.server.catalog.ExternalServicesRegistrar}). Each item has the shape of {@code PUT
 * /v1/catalog/register}'s body, in YAML or JSON spelling:
 *
 * <pre>
 * services:
 *   - Node: billing-db
 *     Address: 10.0.4.20
 *     Service: {Service: postgres, Port: 5432, Tags: [primary]}
 *     Check: {CheckID: pg, Status: passing, ServiceID: postgres}
 * </pre>
 *
 * The rest of the file is {@link YamlSettings}'; it lets this key through. Stateless.
 */
public final class ExternalServicesYaml {

  /** The YAML key. */
  public static final String KEY = "services";

  /** Most entries: each is one log entry at every start. */
  static final int MAX_SERVICES = 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ExternalServicesYaml() {}

  /**
   * The registrations of {@code file}'s {@code services:}, none when it has no such key.
   *
   * @param cluster the cluster's name (a {@code Datacenter} of an entry must be it)
   * @throws ConfigException naming the file, the entry and what is wrong
   */
  public static List<ControlCommand.CatalogRegister> read(Path file, String cluster) {
    JsonNode services = root(file).get(KEY);
    if (services == null || services.isNull()) {
      return List.of();
    }
    if (!services.isArray() || services.size() > MAX_SERVICES) {
      throw new ConfigException(
          file + ": " + KEY + " takes a list of at most " + MAX_SERVICES + " registrations");
    }
    List<ControlCommand.CatalogRegister> registrations = new ArrayList<>(services.size());
    for (int i = 0; i < services.size(); i++) {
      registrations.add(entry(file, i, services.get(i), cluster));
    }
    return registrations;
  }

  private static ControlCommand.CatalogRegister entry(
      Path file, int i, JsonNode entry, String cluster) {
    try {
      return CatalogRegisterJson.configured(JSON.writeValueAsBytes(entry), cluster);
    } catch (IllegalArgumentException | JsonProcessingException e) {
      throw new ConfigException(file + ": " + KEY + " item " + (i + 1) + ": " + e.getMessage());
    }
  }

  private static JsonNode root(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length > YamlSettings.MAX_FILE_BYTES) {
        throw new ConfigException(file + " is larger than the settings file limit");
      }
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(bytes);
      return root == null || !root.isObject() ? JSON.createObjectNode() : root;
    } catch (IOException e) {
      // YamlSettings read the same file first and said what is wrong with it.
      throw new ConfigException(file + " cannot be read: " + e.getMessage());
    }
  }
}
