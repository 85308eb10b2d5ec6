package io.hivemind.core.catalog;

import java.util.Objects;

/**
 * One frame of the catalogue session protocol (catalog_session.proto,
 * docs/protocol/catalogue-sessions.md), decoded and validated: what a client and its agent say over
 * the client's long-lived connection.
 */
public sealed interface SessionMessage {

  /** Text fields (names, sentences, outputs) are cut to this many characters on the wire. */
  int MAX_TEXT = 4_096;

  /** A session secret's size: 256 random bits cannot be guessed. */
  int SECRET_BYTES = 32;

  /**
   * The client's first frame.
   *
   * @param environment the client's environment id
   * @param cluster the cluster it expects, "" when unknown
   * @param clientName for logs
   * @param resume the session to resume, or {@link SessionCredentials#NONE}
   * @param token the secret of the client's ACL token, "" for none; {@link #toString} hides it
   */
  record Hello(
      String environment,
      String cluster,
      String clientName,
      SessionCredentials resume,
      String token)
      implements SessionMessage {
    public Hello {
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(clientName, "clientName");
      Objects.requireNonNull(resume, "resume");
      Objects.requireNonNull(token, "token");
    }

    /** A hello without a token, as clients from before ACLs send. */
    public Hello(String environment, String cluster, String clientName, SessionCredentials resume) {
      this(environment, cluster, clientName, resume, "");
    }

    /** Without the token: a hello may be logged. */
    @Override
    public String toString() {
      return "Hello[environment="
          + environment
          + ", cluster="
          + cluster
          + ", clientName="
          + clientName
          + ", resume="
          + resume
          + ", token="
          + (token.isEmpty() ? "none" : "redacted")
          + "]";
    }
  }

  /** The agent accepted the hello: the session is {@code credentials}' id. */
  record Welcome(
      SessionCredentials credentials,
      String agent,
      long graceMillis,
      long heartbeatMillis,
      boolean resumed)
      implements SessionMessage {
    public Welcome {
      Objects.requireNonNull(credentials, "credentials");
      Objects.requireNonNull(agent, "agent");
      if (credentials.isNone()) {
        throw new IllegalArgumentException("a welcome needs a session id and secret");
      }
      if (graceMillis < 0 || heartbeatMillis <= 0) {
        throw new IllegalArgumentException(
            "grace " + graceMillis + " ms and heartbeat " + heartbeatMillis + " ms");
      }
    }
  }

  /** The agent refused the hello and closes the connection. */
  record Refused(SessionRefusal code, String sentence) implements SessionMessage {
    public Refused {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(sentence, "sentence");
    }
  }

  /** Register (or replace) an instance in the session. */
  record Register(long request, ServiceRegistration registration) implements SessionMessage {
    public Register {
      Objects.requireNonNull(registration, "registration");
    }
  }

  /** Deregister one of the session's instances. */
  record Deregister(long request, String serviceId) implements SessionMessage {
    public Deregister {
      CatalogNames.requireId("service id", serviceId);
    }
  }

  /** A TTL check's status, reported by the client. */
  record CheckUpdate(long request, String checkId, HealthStatus status, String output)
      implements SessionMessage {
    public CheckUpdate {
      CatalogNames.requireCheckId(checkId);
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(output, "output");
    }
  }

  /** A heartbeat from the client; the agent answers with a pong of the same nonce. */
  record Ping(long nonce) implements SessionMessage {}

  /** The agent's answer to a ping. */
  record Pong(long nonce) implements SessionMessage {}

  /** The agent's answer to a register, deregister or check update. */
  record Result(long request, SessionResultCode code, String sentence) implements SessionMessage {
    public Result {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(sentence, "sentence");
    }

    public static Result ok(long request) {
      return new Result(request, SessionResultCode.OK, "");
    }
  }
}
