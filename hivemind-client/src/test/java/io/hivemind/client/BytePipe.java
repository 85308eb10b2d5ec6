package io.hivemind.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;

/**
 * An in-memory, unbounded one-way byte stream between threads, for tests that would otherwise need
 * a socket: unlike the JDK's piped streams it does not tie either end to the thread that last used
 * it. Closing either end makes reads return end-of-stream once the bytes are drained, and writes
 * fail.
 */
final class BytePipe {

  private final ArrayDeque<Byte> bytes = new ArrayDeque<>();
  private boolean closed;

  final InputStream in =
      new InputStream() {
        @Override
        public int read() throws IOException {
          synchronized (BytePipe.this) {
            while (bytes.isEmpty() && !closed) {
              try {
                BytePipe.this.wait();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
              }
            }
            return bytes.isEmpty() ? -1 : bytes.poll() & 0xFF;
          }
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
          if (length == 0) {
            return 0;
          }
          int first = read();
          if (first < 0) {
            return -1;
          }
          into[offset] = (byte) first;
          int count = 1;
          synchronized (BytePipe.this) {
            while (count < length && !bytes.isEmpty()) {
              into[offset + count++] = bytes.poll();
            }
          }
          return count;
        }

        @Override
        public void close() {
          BytePipe.this.close();
        }
      };

  final OutputStream out =
      new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] from, int offset, int length) throws IOException {
          synchronized (BytePipe.this) {
            if (closed) {
              throw new IOException("pipe closed");
            }
            for (int i = 0; i < length; i++) {
              bytes.add(from[offset + i]);
            }
            BytePipe.this.notifyAll();
          }
        }

        @Override
        public void close() {
          BytePipe.this.close();
        }
      };

  synchronized void close() {
    closed = true;
    notifyAll();
  }
}
