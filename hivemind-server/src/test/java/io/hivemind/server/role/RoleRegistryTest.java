package io.hivemind.server.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.server.dns.DnsRoleProvider;
import io.hivemind.server.role.probe.ProbeRoleProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleRegistryTest {

  private static final String PROBE_ROLE = "io.hivemind.server.role.probe.ProbeRole";
  private static final String PROBE_PROVIDER = "io.hivemind.server.role.probe.ProbeRoleProvider";

  @Test
  void discover_findsTheBuiltInRolesAndTheTestClassPathsProviders() {
    RoleRegistry registry = RoleRegistry.discover(getClass().getClassLoader());

    // catalog, dns and host are the server's; control and probe come from the test class path.
    assertThat(registry.names()).containsExactly("catalog", "control", "dns", "host", "probe");
  }

  @Test
  void resolve_aRoleFromAPluginProvider_isCreatedWithItsLists() {
    RoleRegistry registry = RoleRegistry.discover(getClass().getClassLoader());

    List<Role> roles = registry.resolve(Set.of("probe"));

    assertThat(roles).hasSize(1);
    assertThat(roles.get(0).name()).isEqualTo("probe");
    assertThat(roles.get(0).requires()).containsExactly("host");
    assertThat(roles.get(0).requiredForBootstrap()).containsExactly("catalog");
  }

  @Test
  void resolve_builtInRoles_inNameOrder_eachANewInstance() {
    RoleRegistry registry = RoleRegistry.discover(getClass().getClassLoader());

    List<Role> first = registry.resolve(List.of("host", "catalog", "dns", "host"));
    List<Role> second = registry.resolve(List.of("host"));

    assertThat(first).extracting(Role::name).containsExactly("catalog", "dns", "host");
    assertThat(first).allSatisfy(r -> assertThat(r.requires()).isEmpty());
    assertThat(second.get(0)).isNotSameAs(first.get(2));
  }

  @Test
  void resolve_unknownRole_listsTheKnownOnes() {
    RoleRegistry registry =
        RoleRegistry.of(List.of(new CatalogRoleProvider(), new DnsRoleProvider()));

    assertThatThrownBy(() -> registry.resolve(List.of("dns", "web")))
        .isInstanceOfSatisfying(
            UnknownRoleException.class,
            e -> {
              assertThat(e.role()).isEqualTo("web");
              assertThat(e.known()).containsExactly("catalog", "dns");
            })
        .hasMessage("'web' is not a role: use catalog or dns");
  }

  @Test
  void of_twoProvidersOfOneName_refusedNamingBoth() {
    assertThatThrownBy(() -> RoleRegistry.of(List.of(new DnsRoleProvider(), new DnsRoleProvider())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "two role providers are named 'dns': io.hivemind.server.dns.DnsRoleProvider and"
                + " io.hivemind.server.dns.DnsRoleProvider; remove one of their jars from the"
                + " class path");
  }

  @Test
  void of_providerWithABadName_refused() {
    assertThatThrownBy(() -> RoleRegistry.of(List.of(provider("Web Server", "Web Server"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("names its role 'Web Server': a role name is 1 to 32 lower-case");
  }

  @Test
  void resolve_providerCreatingAnotherRole_refused() {
    RoleRegistry registry = RoleRegistry.of(List.of(provider("web", "dns")));

    assertThatThrownBy(() -> registry.resolve(List.of("web")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("for 'web' created a role named 'dns'");
  }

  @Test
  void discover_loadsNoClassOfARoleUntilItIsResolved() throws ClassNotFoundException {
    ProbeLoader loader = new ProbeLoader(getClass().getClassLoader());

    RoleRegistry registry = RoleRegistry.discover(loader);
    registry.resolve(List.of("host", "dns"));

    assertThat(loader.loaded(PROBE_PROVIDER))
        .as("the provider is loaded to learn its name")
        .isTrue();
    assertThat(loader.loaded(PROBE_ROLE)).as("the role's class, never performed").isFalse();

    Role probe = registry.resolve(List.of("probe")).get(0);

    assertThat(loader.loaded(PROBE_ROLE)).isTrue();
    assertThat(probe.getClass().getClassLoader()).isSameAs(loader);
    assertThat(ProbeRoleProvider.class.getClassLoader()).isNotSameAs(loader);
  }

  @Test
  void declaredRole_startAndStop_doNothingButAreCallable() {
    Role role = new HostRoleProvider().create();

    assertThat(role.name()).isEqualTo("host");
    assertThat(role).hasToString("role host");
    role.stop(); // Idempotent, and fine before a start.
    role.stop();
  }

  private static RoleProvider provider(String name, String createdName) {
    return new RoleProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Role create() {
        return new DeclaredRole(createdName);
      }
    };
  }

  /**
   * Defines the probe package's classes itself (child first) and everything else through its
   * parent, so that {@link #loaded} tells which probe classes discovery made the JVM load.
   */
  private static final class ProbeLoader extends ClassLoader {

    private static final String PACKAGE = "io.hivemind.server.role.probe.";

    ProbeLoader(ClassLoader parent) {
      super("probe-loader", parent);
    }

    boolean loaded(String name) {
      synchronized (getClassLoadingLock(name)) {
        return findLoadedClass(name) != null;
      }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(PACKAGE)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          byte[] bytes = bytesOf(name);
          loaded = defineClass(name, bytes, 0, bytes.length);
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }

    private byte[] bytesOf(String name) throws ClassNotFoundException {
      try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
        if (in == null) {
          throw new ClassNotFoundException(name);
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
