package io.hivemind.server.membership;

import io.hivemind.core.membership.Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Turns seeds given by host name into literal IP addresses before the node sees them, off the
 * node's loop: a lookup can block for seconds (a slow or unreachable DNS server), and the loop must
 * keep probing meanwhile. The node and the transport then only ever handle literal IPs, which
 * resolve without a lookup.
 *
 * <p>Owning thread: none of its own. Lookups run on the executor it was given (the service's
 * resolver thread in the agent) and hand their {@link Resolution} to the callback there; seeds that
 * are all IP literals need no lookup and are answered at once on the caller's thread.
 */
final class SeedResolver {

  /** An IPv4 dotted quad with every part in 0..255; IPv6 literals are told by their colons. */
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  /** A resolver thread outlives its last lookup this long, then exits until the next one. */
  private static final long IDLE_THREAD_SECONDS = 30;

  private final HostResolver hosts;
  private final Executor executor;

  SeedResolver(HostResolver hosts, Executor executor) {
    this.hosts = hosts;
    this.executor = executor;
  }

  /**
   * The agent's resolver thread for one node: a single daemon thread that exists only while there
   * is something to look up (a node resolves seeds when it joins, rarely after), so an idle agent
   * keeps no thread for it. Lookups queue behind each other: one slow name delays the others'
   * joins, never the loop.
   */
  static ExecutorService newResolverThread(String nodeName) {
    return new ThreadPoolExecutor(
        0,
        1,
        IDLE_THREAD_SECONDS,
        TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        task -> {
          Thread thread = new Thread(task, "hivemind-resolver-" + nodeName);
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * The outcome of resolving a seed list.
   *
   * @param addresses every address the seeds resolved to, literal IPs, without duplicates
   * @param failures the seeds that did not resolve, each with the reason, for the log and the
   *     {@link JoinException}
   */
  record Resolution(List<Address> addresses, Map<Address, String> failures) {

    Resolution {
      addresses = List.copyOf(addresses);
      failures = Map.copyOf(failures);
    }
  }

  /**
   * Resolves {@code seeds} and passes the outcome to {@code then}: at once when every seed is an IP
   * literal, else later on the executor. Nothing happens if the executor is shut down (the service
   * is closing).
   */
  void resolve(List<Address> seeds, Consumer<Resolution> then) {
    if (seeds.stream().allMatch(seed -> isLiteral(seed.host()))) {
      then.accept(new Resolution(seeds.stream().distinct().toList(), Map.of()));
      return;
    }
    try {
      executor.execute(() -> then.accept(lookUp(seeds)));
    } catch (RejectedExecutionException closing) {
      // The service is closing; its pending joins fail there.
    }
  }

  private Resolution lookUp(List<Address> seeds) {
    Set<Address> addresses = new LinkedHashSet<>();
    Map<Address, String> failures = new LinkedHashMap<>();
    for (Address seed : seeds) {
      if (isLiteral(seed.host())) {
        addresses.add(seed);
        continue;
      }
      try {
        for (InetAddress ip : nonEmpty(seed.host(), hosts.resolve(seed.host()))) {
          addresses.add(new Address(ip.getHostAddress(), seed.port()));
        }
      } catch (UnknownHostException | RuntimeException e) {
        failures.put(seed, reason(e));
      }
    }
    return new Resolution(new ArrayList<>(addresses), failures);
  }

  private static List<InetAddress> nonEmpty(String host, List<InetAddress> found)
      throws UnknownHostException {
    if (found == null || found.isEmpty()) {
      throw new UnknownHostException(host + ": no address");
    }
    return found;
  }

  private static String reason(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** True for an IPv4 or IPv6 literal, which resolves without a lookup. */
  static boolean isLiteral(String host) {
    return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
  }
}
