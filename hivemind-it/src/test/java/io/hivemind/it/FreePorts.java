package io.hivemind.it;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports for agents started with explicit ports. */
final class FreePorts {

  private FreePorts() {}

  /**
   * A port free for both TCP and UDP right now (gossip needs both under one number). Another
   * process may take it before the agent binds; the tests accept that small race.
   */
  static int tcpAndUdp() throws IOException {
    while (true) {
      int port;
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = tcp.getLocalPort();
      }
      try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
        return udp.getLocalPort();
      } catch (IOException taken) {
        // the UDP side is in use: try another
      }
    }
  }
}
