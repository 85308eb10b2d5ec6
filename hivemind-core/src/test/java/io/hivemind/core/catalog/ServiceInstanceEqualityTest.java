package io.hivemind.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.Environment;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
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

  @Test
  void anyComponentDiffers_notEqual() {
    List<UnaryOperator<ServiceInstance>> changes =
        List.of(
            i -> with(i, "api", i.id(), i.address(), i.port(), i.owner(), i.session()),
            i -> with(i, i.service(), "web-2", i.address(), i.port(), i.owner(), i.session()),
            i -> with(i, i.service(), i.id(), "10.0.0.2", i.port(), i.owner(), i.session()),
            i -> with(i, i.service(), i.id(), i.address(), 81, i.owner(), i.session()),
            i -> with(i, i.service(), i.id(), i.address(), i.port(), "owner-b", i.session()),
            i -> with(i, i.service(), i.id(), i.address(), i.port(), i.owner(), "session-1"),
            i ->
                new ServiceInstance(
                    i.service(),
                    i.id(),
                    i.address(),
                    i.port(),
                    List.of("v2"),
                    i.meta(),
                    i.weights(),
                    i.environment(),
                    i.owner(),
                    i.session(),
                    i.checks()),
            i ->
                new ServiceInstance(
                    i.service(),
                    i.id(),
                    i.address(),
                    i.port(),
                    i.tags(),
                    Map.of("k", "w"),
                    i.weights(),
                    i.environment(),
                    i.owner(),
                    i.session(),
                    i.checks()),
            i ->
                new ServiceInstance(
                    i.service(),
                    i.id(),
                    i.address(),
                    i.port(),
                    i.tags(),
                    i.meta(),
                    new Weights(2, 1),
                    i.environment(),
                    i.owner(),
                    i.session(),
                    i.checks()),
            i ->
                new ServiceInstance(
                    i.service(),
                    i.id(),
                    i.address(),
                    i.port(),
                    i.tags(),
                    i.meta(),
                    i.weights(),
                    Environment.TESTING,
                    i.owner(),
                    i.session(),
                    i.checks()),
            i -> i.withChecks(List.of()));

    for (UnaryOperator<ServiceInstance> change : changes) {
      ServiceInstance changed = change.apply(BASE);
      assertThat(changed).isNotEqualTo(BASE);
      assertThat(BASE).isNotEqualTo(changed);
    }
  }

  private static ServiceInstance with(
      ServiceInstance i,
      String service,
      String id,
      String address,
      int port,
      String owner,
      String session) {
    return new ServiceInstance(
        service,
        id,
        address,
        port,
        i.tags(),
        i.meta(),
        i.weights(),
        i.environment(),
        owner,
        session,
        i.checks());
  }
}
