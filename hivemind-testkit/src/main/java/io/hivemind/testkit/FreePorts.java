package io.hivemind.testkit;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback ports for agents started with explicit ports. */
public final class FreePorts {

  /*
   * Below Linux's default ephemeral range (32768-60999): the kernel never hands these ports to a
   * socket bound to port 0 or to an outgoing connection, so between the check here and the
   * agent's bind only a process asking for that very port can take it. A port picked from the
   * ephemeral range was taken in that window on a busy CI machine.
   */
  private static final int LOWEST = 20_000;
  private static final int HIGHEST = 32_000;

  /** Handed out already: free until its agent starts, so not to be handed out twice. */
  private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /** A port free for both TCP and UDP right now (gossip needs both under one number). */
  public static int tcpAndUdp() {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST);
      if (isFree(port) && GIVEN.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port between " + LOWEST + " and " + HIGHEST);
  }

  private static boolean isFree(int port) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket tcp = new ServerSocket(port, 1, loopback);
        DatagramSocket udp = new DatagramSocket(port, loopback)) {
      return tcp.isBound() && udp.isBound();
    } catch (IOException taken) {
      return false;
    }
  }
}
