package io.hivemind.server.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An agent without the {@code dns} role loads no DNS class but the role's ServiceLoader entry (the
 * plain agent's footprint, ADR 0005). Checked in a class loader of its own, so that classes this
 * JVM's other tests loaded do not count: the registry is discovered and roles resolved there, as
 * the agent does, and the loader is asked what it loaded.
 */
class DnsRoleLoadingTest {

  @Test
  void resolveWithoutDns_loadsOnlyTheProvider() throws Exception {
    try (RecordingLoader loader = RecordingLoader.ofClassPath()) {
      resolve(loader, List.of("catalog", "host"));

      assertThat(loader.loaded("io.hivemind.server.dns.DnsRoleProvider")).isTrue();
      assertThat(loader.loaded("io.hivemind.server.dns.DnsRole")).isFalse();
      assertThat(loader.loaded("io.hivemind.server.dns.DnsServer")).isFalse();
      assertThat(loader.loaded("io.netty.handler.codec.dns.DnsRecordDecoder")).isFalse();
    }
  }

  @Test
  void resolveWithDns_createsTheRole() throws Exception {
    try (RecordingLoader loader = RecordingLoader.ofClassPath()) {
      resolve(loader, List.of("dns"));

      assertThat(loader.loaded("io.hivemind.server.dns.DnsRole")).isTrue();
    }
  }

  private static void resolve(ClassLoader loader, Collection<String> roles) throws Exception {
    Class<?> registry = Class.forName("io.hivemind.server.role.RoleRegistry", true, loader);
    Object discovered = registry.getMethod("discover", ClassLoader.class).invoke(null, loader);
    Method resolve = registry.getMethod("resolve", Collection.class);
    resolve.invoke(discovered, new ArrayList<>(roles));
  }

  /** Loads the class path itself (child first for our and Netty's classes) and says what it has. */
  private static final class RecordingLoader extends URLClassLoader {

    RecordingLoader(URL[] urls) {
      super(urls, ClassLoader.getPlatformClassLoader());
    }

    static RecordingLoader ofClassPath() throws MalformedURLException {
      String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
      URL[] urls = new URL[entries.length];
      for (int i = 0; i < entries.length; i++) {
        urls[i] = new File(entries[i]).toURI().toURL();
      }
      return new RecordingLoader(urls);
    }

    boolean loaded(String name) {
      return findLoadedClass(name) != null;
    }
  }
}
