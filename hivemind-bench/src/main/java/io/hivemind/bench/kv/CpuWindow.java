package io.hivemind.bench.kv;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Samples the members' and this process's CPU time at the start and the end of a load level's
 * measured window, on a thread of its own that sleeps through the warm-up: started right before
 * {@link KvLoad#run}, whose window starts and ends at the same offsets.
 */
final class CpuWindow {

  private final ProcessCpu server;
  private final ProcessCpu client;
  private final Thread thread;
  private volatile CpuUse use;
  private volatile String failure;

  CpuWindow(ProcessCpu server, ProcessCpu client, Duration warmup, Duration measured) {
    this.server = server;
    this.client = client;
    this.thread = new Thread(() -> sample(warmup, measured), "cpu-window");
  }

  void start() {
    thread.start();
  }

  /** Waits for the window's end; null (and a note on stderr) when a process could not be read. */
  CpuUse await() throws InterruptedException {
    thread.join();
    if (failure != null) {
      System.err.println("CPU not measured: " + failure);
    }
    return use;
  }

  private void sample(Duration warmup, Duration measured) {
    try {
      TimeUnit.NANOSECONDS.sleep(warmup.toNanos());
      long serverBefore = server.nanos();
      long clientBefore = client.nanos();
      long before = System.nanoTime();
      TimeUnit.NANOSECONDS.sleep(measured.toNanos());
      use =
          new CpuUse(
              server.nanos() - serverBefore,
              client.nanos() - clientBefore,
              System.nanoTime() - before);
    } catch (IOException | RuntimeException e) {
      failure = e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
