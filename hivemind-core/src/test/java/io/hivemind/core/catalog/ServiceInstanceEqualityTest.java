package io.hivemind.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.Environment;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ServiceInstance's hand-written equals and hashCode keep the record's contract: equal exactly when
 * every component is, built from distinct but equal strings too.
 */
class ServiceInstanceEqualityTest {

  private static final ServiceInstance BASE =
      new ServiceInstance(
          "web",
          "web-1",
          "10.0.0.1",
          80,
          List.of("v1"),
          Map.of("k", "v"),
          Weights.DEFAULT,
          Environment.DEVELOPMENT,
          "owner-a",
          ServiceInstance.AGENT_SESSION,
          List.of(new CheckStatus("c1", "check", CheckKind.TTL, HealthStatus.PASSING, "")));

  @Test
  void equalComponents_equalAndSameHash_evenAsDistinctStrings() {
    ServiceInstance copy =
        new ServiceInstance(
            new String("web"),
            new String("web-1"),
            new String("10.0.0.1"),
            80,
            List.of(new String("v1")),
            Map.of(new String("k"), new String("v")),
            new Weights(1, 1),
            Environment.DEVELOPMENT,
            new String("owner-a"),
            new String(ServiceInstance.AGENT_SESSION),
            List.of(new CheckStatus("c1", "check", CheckKind.TTL, HealthStatus.PASSING, "")));

    assertThat(copy).isEqualTo(BASE).hasSameHashCodeAs(BASE);
    assertThat(BASE).isEqualTo(BASE).isNotEqualTo(null).isNotEqualTo("web-1");
  }

  /** Differs from BASE in every component. */
  private static final ServiceInstance OTHER =
      new ServiceInstance(
          "api",
          "api-2",
          "10.0.0.2",
          81,
          List.of("v2"),
          Map.of("k", "w"),
          new Weights(2, 1),
          Environment.TESTING,
          "owner-b",
          "session-1",
          List.of());

  @Test
  void anyOneComponentDiffers_notEqual() throws ReflectiveOperationException {
    RecordComponent[] components = ServiceInstance.class.getRecordComponents();
    Constructor<ServiceInstance> canonical =
        ServiceInstance.class.getDeclaredConstructor(
            Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
    for (int i = 0; i < components.length; i++) {
      Object[] args = new Object[components.length];
      for (int j = 0; j < components.length; j++) {
        args[j] = components[j].getAccessor().invoke(i == j ? OTHER : BASE);
      }
      ServiceInstance changed = canonical.newInstance(args);

      assertThat(changed).as(components[i].getName()).isNotEqualTo(BASE);
      assertThat(BASE).as(components[i].getName()).isNotEqualTo(changed);
    }
  }
}
