package io.hivemind.server.transport;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256-GCM keys that seal gossip: one primary key that encrypts, and secondary keys that are
 * still accepted for decryption, so keys rotate without downtime (as Serf's keyring).
 *
 * <p>Rotation, one step at a time on every agent, waiting for each step to reach all of them: add
 * the new key as a secondary ({@code [k1, k2]}); make it primary ({@code [k2, k1]}); drop the old
 * one ({@code [k2]}). No packet is lost on the way, because every key a node encrypts with is
 * already accepted everywhere. Skipping the first step still converges, but packets sealed with the
 * new key are dropped by nodes that do not know it yet.
 *
 * <p>Sealed format (version 1): {@code version(1) | nonce(12) | ciphertext | tag(16)}, that is
 * {@value #OVERHEAD_BYTES} bytes more than the plaintext. The associated data is the version and
 * the {@link FrameKind}. Nonces are random: NIST SP 800-38D §8.3 allows 2^32 random 96-bit nonces
 * per key, which at a node's few hundred packets a second is more than a year; rotate keys well
 * within that.
 *
 * <p>Immutable and thread-safe: each operation takes a fresh {@link Cipher} (ciphers are stateful
 * and not thread-safe, and the event loops of several nodes share one keyring). Rotation means
 * building a new keyring and handing it to {@link GossipTransport#setKeyring}.
 */
public final class GossipKeyring {

  /** AES-256: keys are exactly this many bytes. */
  public static final int KEY_BYTES = 32;

  /** Bytes sealing adds: version, nonce and tag. */
  public static final int OVERHEAD_BYTES = 1 + 12 + 16;

  static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String CIPHER = "AES/GCM/NoPadding";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final List<SecretKey> keys;

  private GossipKeyring(List<SecretKey> keys) {
    this.keys = List.copyOf(keys);
  }

  /**
   * A keyring from base64 keys as written in configuration; the first encrypts, the others are
   * accepted for decryption.
   *
   * @throws IllegalArgumentException naming which key is bad and why (never the key itself)
   */
  public static GossipKeyring of(List<String> base64Keys) {
    Objects.requireNonNull(base64Keys, "keys");
    if (base64Keys.isEmpty()) {
      throw new IllegalArgumentException("a gossip keyring needs at least one key");
    }
    List<SecretKey> keys = new ArrayList<>(base64Keys.size());
    for (int i = 0; i < base64Keys.size(); i++) {
      keys.add(decodeKey(base64Keys.get(i), i + 1, base64Keys.size()));
    }
    return new GossipKeyring(keys);
  }

  /** A keyring with {@code primaryKey} encrypting and {@code secondaryKeys} accepted. */
  public static GossipKeyring of(String primaryKey, String... secondaryKeys) {
    List<String> all = new ArrayList<>();
    all.add(primaryKey);
    all.addAll(List.of(secondaryKeys));
    return of(all);
  }

  /** A fresh random key, base64-encoded, for {@code hivemind keygen}. */
  public static String generateKey() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** Keys in the ring, primary included. */
  public int size() {
    return keys.size();
  }

  // The messages below name the key by position and never echo it: configuration errors end up
  // in logs and terminals, and a key there is a leaked key.
  private static SecretKey decodeKey(String text, int position, int count) {
    String which = "gossip key " + position + " of " + count;
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(which + " is empty");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          which + " is not valid base64 (" + e.getMessage() + ")", e);
    }
    if (raw.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          which
              + " decodes to "
              + raw.length
              + " bytes; AES-256 needs "
              + KEY_BYTES
              + " (generate one with `hivemind keygen`)");
    }
    return new SecretKeySpec(raw, "AES");
  }

  /** Encrypts {@code plaintext} with the primary key. */
  byte[] seal(FrameKind kind, byte[] plaintext) {
    byte[] sealed = new byte[OVERHEAD_BYTES + plaintext.length];
    sealed[0] = VERSION;
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    System.arraycopy(nonce, 0, sealed, 1, NONCE_BYTES);
    try {
      Cipher cipher = Cipher.getInstance(CIPHER);
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(0), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(kind));
      cipher.doFinal(plaintext, 0, plaintext.length, sealed, 1 + NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      // AES-GCM is required of every Java platform; failing here is a broken JRE, not bad input.
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    return sealed;
  }

  /**
   * Decrypts a sealed frame, trying the primary key first (the common case), then the others.
   *
   * @throws UnauthenticatedFrameException if no key opens it for {@code kind}
   */
  byte[] open(FrameKind kind, byte[] sealed) throws UnauthenticatedFrameException {
    if (sealed.length < OVERHEAD_BYTES) {
      throw new UnauthenticatedFrameException("too short to be sealed: " + sealed.length);
    }
    if (sealed[0] != VERSION) {
      throw new UnauthenticatedFrameException("unknown envelope version " + sealed[0]);
    }
    for (SecretKey key : keys) {
      byte[] plaintext = tryOpen(key, kind, sealed);
      if (plaintext != null) {
        return plaintext;
      }
    }
    throw new UnauthenticatedFrameException("no key of " + keys.size() + " opens it");
  }

  private static byte[] tryOpen(SecretKey key, FrameKind kind, byte[] sealed) {
    try {
      Cipher cipher = Cipher.getInstance(CIPHER);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
      cipher.updateAAD(associatedData(kind));
      int offset = 1 + NONCE_BYTES;
      return cipher.doFinal(sealed, offset, sealed.length - offset);
    } catch (AEADBadTagException e) {
      return null; // Another key, or not ours at all.
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  private static byte[] associatedData(FrameKind kind) {
    return new byte[] {VERSION, kind.wireId()};
  }

  @Override
  public String toString() {
    return "GossipKeyring[" + keys.size() + (keys.size() == 1 ? " key]" : " keys]");
  }
}
