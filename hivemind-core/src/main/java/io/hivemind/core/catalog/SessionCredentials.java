package io.hivemind.core.catalog;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A session's id and secret: the id names it in the catalogue (every instance it registered carries
 * it), the secret proves the right to resume it. The secret never appears in {@link #toString()}.
 */
public record SessionCredentials(String id, byte[] secret) {

  /** No session: a hello that opens a new one. */
  public static final SessionCredentials NONE = new SessionCredentials("", new byte[0]);

  public SessionCredentials {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(secret, "secret");
    if (id.isEmpty() != (secret.length == 0)) {
      throw new IllegalArgumentException("a session id needs its secret, and a secret its id");
    }
    if (!id.isEmpty()) {
      CatalogNames.requireId("session id", id);
      if (id.equals(ServiceInstance.AGENT_SESSION)) {
        throw new IllegalArgumentException("session id '" + id + "' is reserved for the agent");
      }
      if (secret.length > SessionMessage.SECRET_BYTES) {
        throw new IllegalArgumentException(
            "session secret of "
                + secret.length
                + " bytes, more than "
                + SessionMessage.SECRET_BYTES);
      }
    }
    secret = secret.clone();
  }

  public boolean isNone() {
    return id.isEmpty();
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  /** Compares secrets in constant time, so a guesser learns nothing from how long a no takes. */
  public boolean matches(SessionCredentials other) {
    return id.equals(other.id) && MessageDigest.isEqual(secret, other.secret);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SessionCredentials that
        && id.equals(that.id)
        && Arrays.equals(secret, that.secret);
  }

  @Override
  public int hashCode() {
    return id.hashCode() * 31 + Arrays.hashCode(secret);
  }

  @Override
  public String toString() {
    return isNone() ? "no session" : "session " + id;
  }
}
