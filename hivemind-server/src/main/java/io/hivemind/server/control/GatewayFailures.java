package io.hivemind.server.control;

import io.hivemind.core.control.GatewayMessage;
import io.hivemind.server.acl.AclDeniedException;

/** The exception a follower's future fails with for each gateway error code. */
final class GatewayFailures {

  private GatewayFailures() {}

  static RuntimeException exception(GatewayMessage.Failure failure) {
    String message = "the control gateway refused the request: " + failure.message();
    return switch (failure.code()) {
      case NO_QUORUM -> new NoQuorumException(message);
      case INVALID_REQUEST -> new IllegalArgumentException(message);
      case TOO_MANY_REQUESTS -> new java.util.concurrent.RejectedExecutionException(message);
      case INTERNAL -> new IllegalStateException(message);
      // The bridge tells this refusal (final until the configuration changes) from a retry.
      case ADMISSION_REFUSED -> new AdmissionRefusedException(failure.message());
      // Answers the handshake (request id 0), not a request; logged by EnvironmentDeclaration.
      case WRONG_ENVIRONMENT -> new IllegalStateException(message);
      case ACL_DENIED -> new AclDeniedException(message);
    };
  }
}
