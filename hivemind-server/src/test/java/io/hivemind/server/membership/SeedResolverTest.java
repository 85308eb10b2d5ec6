package io.hivemind.server.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.membership.Address;
import io.hivemind.server.membership.SeedResolver.Resolution;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeedResolverTest {

  private final List<Runnable> resolverThread = new ArrayList<>();
  private final List<String> lookedUp = new ArrayList<>();
  private final AtomicReference<Resolution> answer = new AtomicReference<>();

  private final SeedResolver resolver =
      new SeedResolver(
          host -> {
            lookedUp.add(host);
            return switch (host) {
              case "two.example" ->
                  List.of(VirtualNodes.ip(host, "10.0.0.1"), VirtualNodes.ip(host, "10.0.0.2"));
              case "one.example" -> List.of(VirtualNodes.ip(host, "10.0.0.1"));
              case "empty.example" -> List.of();
              case "broken.example" -> throw new IllegalStateException("resolver bug");
              default -> throw new UnknownHostException(host);
            };
          },
          resolverThread::add);

  @ParameterizedTest
  @CsvSource({
    "10.0.0.1,true",
    "0.0.0.0,true",
    "255.255.255.255,true",
    "::1,true",
    "fe80::1%eth0,true",
    "256.0.0.1,false",
    "10.0.0,false",
    "10.0.0.1.5,false",
    "localhost,false",
    "seed.example,false",
    "1.2.3.4.example,false"
  })
  void isLiteral(String host, boolean literal) {
    assertThat(SeedResolver.isLiteral(host)).isEqualTo(literal);
  }

  @Test
  void literalsOnly_answeredAtOnce_withoutALookup() {
    List<Address> seeds =
        List.of(
            new Address("10.0.0.1", 7946), new Address("::1", 7946), new Address("10.0.0.1", 7946));

    resolver.resolve(seeds, answer::set);

    assertThat(resolverThread).isEmpty();
    assertThat(lookedUp).isEmpty();
    assertThat(answer.get().addresses())
        .containsExactly(new Address("10.0.0.1", 7946), new Address("::1", 7946));
    assertThat(answer.get().failures()).isEmpty();
  }

  @Test
  void names_lookedUpOnTheExecutor_everyAddressKept_failuresNamed() {
    Address two = new Address("two.example", 7300);
    Address unknown = new Address("unknown.example", 7300);
    Address empty = new Address("empty.example", 7300);
    Address broken = new Address("broken.example", 7300);

    resolver.resolve(
        List.of(two, new Address("10.0.0.2", 7300), unknown, empty, broken), answer::set);

    assertThat(answer.get()).isNull();
    assertThat(lookedUp).isEmpty();
    resolverThread.forEach(Runnable::run);
    assertThat(answer.get().addresses())
        .containsExactly(new Address("10.0.0.1", 7300), new Address("10.0.0.2", 7300));
    assertThat(answer.get().failures())
        .containsOnlyKeys(unknown, empty, broken)
        .containsEntry(unknown, "UnknownHostException: unknown.example")
        .containsEntry(empty, "UnknownHostException: empty.example: no address")
        .containsEntry(broken, "IllegalStateException: resolver bug");
  }

  @Test
  void executorShutDown_noAnswer_noException() {
    SeedResolver closing =
        new SeedResolver(
            host -> List.of(InetAddress.getLoopbackAddress()),
            task -> {
              throw new java.util.concurrent.RejectedExecutionException("shut down");
            });

    closing.resolve(List.of(new Address("one.example", 1)), answer::set);

    assertThat(answer.get()).isNull();
  }
}
