package io.hivemind.core.control;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One KV operation of a {@link ControlCommand.KvTxn}: Consul's {@code /v1/txn} KV verbs
 * (docs/protocol/control.md, "Transactions"). The writes are the single-key commands under another
 * name ({@link #asWrite}), so a transaction's write is checked, authorised and applied by the same
 * rules as {@code PUT /v1/kv}; the reads and checks only look.
 *
 * @param value for {@code set}, {@code cas} and {@code lock}
 * @param index the modify index {@code cas}, {@code delete-cas} and {@code check-index} compare
 * @param session the session of {@code lock}, {@code unlock} and {@code check-session}
 */
public record KvOp(Verb verb, String key, byte[] value, long flags, long index, String session) {

  /** Consul's KV verbs, by their names on the wire of its API. */
  public enum Verb {
    SET("set"),
    CAS("cas"),
    LOCK("lock"),
    UNLOCK("unlock"),
    GET("get"),
    GET_TREE("get-tree"),
    CHECK_INDEX("check-index"),
    CHECK_SESSION("check-session"),
    CHECK_NOT_EXISTS("check-not-exists"),
    DELETE("delete"),
    DELETE_TREE("delete-tree"),
    DELETE_CAS("delete-cas");

    private final String consulName;

    Verb(String consulName) {
      this.consulName = consulName;
    }

    /** The verb as Consul's API spells it. */
    public String consulName() {
      return consulName;
    }

    /** The verb Consul spells {@code name}, if any. */
    public static Optional<Verb> named(String name) {
      for (Verb verb : values()) {
        if (verb.consulName.equals(name)) {
          return Optional.of(verb);
        }
      }
      return Optional.empty();
    }

    /** True when the verb changes the store. */
    public boolean writes() {
      return switch (this) {
        case SET, CAS, LOCK, UNLOCK, DELETE, DELETE_TREE, DELETE_CAS -> true;
        case GET, GET_TREE, CHECK_INDEX, CHECK_SESSION, CHECK_NOT_EXISTS -> false;
      };
    }

    /** True when the verb names a prefix rather than a key (an empty one is every key). */
    public boolean onPrefix() {
      return this == GET_TREE || this == DELETE_TREE;
    }
  }

  public KvOp {
    Objects.requireNonNull(verb, "verb");
    Objects.requireNonNull(key, "key");
    value = value.clone();
    Objects.requireNonNull(session, "session");
  }

  /** An operation that needs only its verb and key. */
  public static KvOp of(Verb verb, String key) {
    return new KvOp(verb, key, new byte[0], 0, 0, "");
  }

  /**
   * The single-key command this write is, empty for a read or check: {@code set} and {@code cas}
   * are a {@code KvSet}, {@code lock} and {@code unlock} a {@code KvLock}, the deletes a {@code
   * KvDelete}.
   */
  public Optional<ControlCommand> asWrite() {
    return Optional.ofNullable(
        switch (verb) {
          case SET -> new ControlCommand.KvSet(key, value, flags, -1);
          case CAS -> new ControlCommand.KvSet(key, value, flags, index);
          case LOCK -> new ControlCommand.KvLock(key, value, flags, session, true);
          case UNLOCK -> new ControlCommand.KvLock(key, value, flags, session, false);
          case DELETE -> new ControlCommand.KvDelete(key, false, -1);
          case DELETE_CAS -> new ControlCommand.KvDelete(key, false, index);
          case DELETE_TREE -> new ControlCommand.KvDelete(key, true, -1);
          case GET, GET_TREE, CHECK_INDEX, CHECK_SESSION, CHECK_NOT_EXISTS -> null;
        });
  }

  /** A copy of the value. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The value's length, without copying it. */
  public int valueLength() {
    return value.length;
  }

  /** Compares the value's bytes (a record would compare the array's identity). */
  @Override
  public boolean equals(Object other) {
    return other instanceof KvOp that
        && verb == that.verb
        && key.equals(that.key)
        && Arrays.equals(value, that.value)
        && flags == that.flags
        && index == that.index
        && session.equals(that.session);
  }

  @Override
  public int hashCode() {
    return Objects.hash(verb, key, Arrays.hashCode(value), flags, index, session);
  }

  @Override
  public String toString() {
    return "KvOp["
        + verb.consulName
        + " key="
        + key
        + ", value="
        + value.length
        + " bytes, flags="
        + flags
        + ", index="
        + index
        + ", session="
        + session
        + "]";
  }
}
