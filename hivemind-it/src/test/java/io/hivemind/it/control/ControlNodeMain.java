package io.hivemind.it.control;

import io.hivemind.control.ControlConfig;
import io.hivemind.control.PeerAddress;
import io.hivemind.control.RatisControlPlane;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A control node in a process of its own, for the ITs that kill one with SIGKILL. Arguments: node
 * id, port, data directory, then the initial peers as {@code id=host:port}. Prints {@code started}
 * once the Raft server runs, then serves until killed or its standard input closes.
 */
public final class ControlNodeMain {

  private ControlNodeMain() {}

  public static void main(String[] args) throws Exception {
    List<PeerAddress> peers = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      String[] idAndAddress = args[i].split("=", 2);
      peers.add(new PeerAddress(idAndAddress[0], idAndAddress[1]));
    }
    RatisControlPlane plane =
        new RatisControlPlane(
            ControlConfig.of(
                args[0],
                "127.0.0.1",
                Integer.parseInt(args[1]),
                Path.of(args[2]),
                ControlNodes.CLUSTER,
                ControlNodes.ENVIRONMENT,
                peers));
    plane.start();
    System.out.println("started");
    System.out.flush();
    // The parent holds our standard input: when it goes away, so do we.
    while (System.in.read() != -1) {
      // keep serving
    }
    plane.close();
  }
}
