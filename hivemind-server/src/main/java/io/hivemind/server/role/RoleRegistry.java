package io.hivemind.server.role;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The roles this node can perform: every {@link RoleProvider} on the class path, by name. Built
 * once at start; immutable, so any thread may read it.
 *
 * <p>Discovery instantiates the providers only (each a small class, see {@link RoleProvider});
 * {@link #resolve} creates the roles a node is configured to perform and no other, so the classes
 * of an unperformed role are never loaded.
 */
public final class RoleRegistry {

  /** Role names: short, lower case, safe in a YAML list, a DNS label and a metric tag. */
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  private final Map<String, RoleProvider> providers;

  private RoleRegistry(Map<String, RoleProvider> providers) {
    this.providers = Collections.unmodifiableMap(new TreeMap<>(providers));
  }

  /**
   * The providers {@code loader} finds through {@code META-INF/services}.
   *
   * @throws IllegalStateException when a provider cannot be loaded, has a bad name, or shares its
   *     name with another (which one to run would be a guess); the message names them
   */
  public static RoleRegistry discover(ClassLoader loader) {
    List<RoleProvider> found = new ArrayList<>();
    try {
      ServiceLoader.load(RoleProvider.class, loader).forEach(found::add);
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException("a role provider cannot be loaded: " + e.getMessage(), e);
    }
    return of(found);
  }

  /**
   * A registry of exactly {@code providers}.
   *
   * @throws IllegalStateException for a bad or duplicate name
   */
  public static RoleRegistry of(Collection<? extends RoleProvider> providers) {
    Map<String, RoleProvider> byName = new TreeMap<>();
    for (RoleProvider provider : providers) {
      String name = provider.name();
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalStateException(
            "role provider "
                + provider.getClass().getName()
                + " names its role '"
                + name
                + "': a role name is 1 to 32 lower-case letters, digits and '-', starting with a"
                + " letter");
      }
      RoleProvider other = byName.putIfAbsent(name, provider);
      if (other != null) {
        throw new IllegalStateException(
            "two role providers are named '"
                + name
                + "': "
                + other.getClass().getName()
                + " and "
                + provider.getClass().getName()
                + "; remove one of their jars from the class path");
      }
    }
    return new RoleRegistry(byName);
  }

  /** The known role names, sorted. */
  public List<String> names() {
    return List.copyOf(providers.keySet());
  }

  /** True when a provider answers to {@code name}. */
  public boolean contains(String name) {
    return providers.containsKey(name);
  }

  /**
   * New, unstarted roles for {@code names}, in name order (so that every node starts them in the
   * same order); duplicates are created once.
   *
   * @throws UnknownRoleException for a name no provider answers to, listing the known ones
   */
  public List<Role> resolve(Collection<String> names) {
    List<String> sorted = new ArrayList<>(new TreeSet<>(names));
    for (String name : sorted) {
      if (!contains(name)) {
        throw new UnknownRoleException(name, names());
      }
    }
    List<Role> roles = new ArrayList<>();
    for (String name : sorted) {
      roles.add(create(providers.get(name), name));
    }
    return List.copyOf(roles);
  }

  private static Role create(RoleProvider provider, String name) {
    Role role = provider.create();
    if (role == null || !name.equals(role.name())) {
      throw new IllegalStateException(
          "role provider "
              + provider.getClass().getName()
              + " for '"
              + name
              + "' created "
              + (role == null ? "nothing" : "a role named '" + role.name() + "'"));
    }
    return role;
  }

  /** {@code a, b or c}. */
  static String orList(List<String> items) {
    if (items.isEmpty()) {
      return "nothing: no role provider is on the class path";
    }
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + " or "
        + items.get(items.size() - 1);
  }
}
