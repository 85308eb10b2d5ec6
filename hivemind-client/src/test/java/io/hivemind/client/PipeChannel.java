package io.hivemind.client;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A client's channel over two in-memory pipes, and the agent's ends of them: a connection without a
 * socket, for the tests.
 */
final class PipeChannel implements StateConnection.Channel {

  private final BytePipe toClient = new BytePipe();
  private final BytePipe toAgent = new BytePipe();
  private volatile boolean closed;

  /** What the client writes, as the agent reads it. */
  InputStream agentIn() {
    return toAgent.in;
  }

  /** What the agent writes, as the client reads it. */
  OutputStream agentOut() {
    return toClient.out;
  }

  boolean closed() {
    return closed;
  }

  @Override
  public InputStream input() {
    return toClient.in;
  }

  @Override
  public OutputStream output() {
    return toAgent.out;
  }

  @Override
  public void close() {
    closed = true;
    toClient.close();
    toAgent.close();
  }
}
