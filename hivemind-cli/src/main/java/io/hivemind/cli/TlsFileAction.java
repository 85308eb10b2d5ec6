package io.hivemind.cli;

import io.hivemind.server.tls.TlsException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs a {@code hivemind tls} action and turns its failures into exit codes: a {@link TlsException}
 * is the user's to fix (a missing CA, a bad address, a file in the way) and exits {@link
 * HivemindCommand#USAGE_ERROR} with its sentence; an I/O error while writing exits {@link
 * HivemindCommand#FAILURE}. Neither prints a stack trace.
 */
final class TlsFileAction {

  /** The work of one command; returns its exit code. */
  interface Action {
    int run(PrintWriter out) throws IOException;
  }

  /** Longest validity accepted: a century is surely a typo. */
  private static final int MAX_DAYS = 36_500;

  private TlsFileAction() {}

  static int run(CommandSpec spec, Action action) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return action.run(out);
    } catch (TlsException e) {
      err.println("hivemind: " + e.getMessage());
      return HivemindCommand.USAGE_ERROR;
    } catch (IOException e) {
      err.println("hivemind: cannot write the TLS files: " + e);
      return HivemindCommand.FAILURE;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** Validity in days as a duration, refused outside 1..{@value #MAX_DAYS}. */
  static Duration days(int days) {
    if (days < 1 || days > MAX_DAYS) {
      throw new TlsException("--days must be between 1 and " + MAX_DAYS + ", got " + days + ".");
    }
    return Duration.ofDays(days);
  }
}
