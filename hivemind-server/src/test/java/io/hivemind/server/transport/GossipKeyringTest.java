package io.hivemind.server.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GossipKeyringTest {

  private static final String K1 = GossipKeyring.generateKey();
  private static final String K2 = GossipKeyring.generateKey();
  private static final byte[] MESSAGE = "ping seq=7 target=node-2".getBytes(UTF_8);

  @Test
  void seal_thenOpen_roundTrips() throws Exception {
    GossipKeyring keyring = GossipKeyring.of(K1);

    byte[] sealed = keyring.seal(FrameKind.PACKET, MESSAGE);

    assertThat(sealed).hasSize(MESSAGE.length + GossipKeyring.OVERHEAD_BYTES);
    assertThat(sealed[0]).isEqualTo(GossipKeyring.VERSION);
    assertThat(keyring.open(FrameKind.PACKET, sealed)).isEqualTo(MESSAGE);
  }

  @Test
  void seal_twice_usesFreshNonces() {
    GossipKeyring keyring = GossipKeyring.of(K1);

    assertThat(keyring.seal(FrameKind.PACKET, MESSAGE))
        .isNotEqualTo(keyring.seal(FrameKind.PACKET, MESSAGE));
  }

  @Test
  void open_sealedWithASecondaryKey_succeeds() throws Exception {
    byte[] sealedWithOld = GossipKeyring.of(K1).seal(FrameKind.PACKET, MESSAGE);

    GossipKeyring rotated = GossipKeyring.of(K2, K1);

    assertThat(rotated.open(FrameKind.PACKET, sealedWithOld)).isEqualTo(MESSAGE);
  }

  @Test
  void seal_withRotatedKeyring_usesThePrimaryKey() {
    byte[] sealed = GossipKeyring.of(K2, K1).seal(FrameKind.PACKET, MESSAGE);

    assertThatThrownBy(() -> GossipKeyring.of(K1).open(FrameKind.PACKET, sealed))
        .isInstanceOf(UnauthenticatedFrameException.class);
  }

  @Test
  void open_withWrongKey_fails() {
    byte[] sealed = GossipKeyring.of(K1).seal(FrameKind.PACKET, MESSAGE);

    assertThatThrownBy(() -> GossipKeyring.of(K2).open(FrameKind.PACKET, sealed))
        .isInstanceOf(UnauthenticatedFrameException.class)
        .hasMessageContaining("no key");
  }

  @Test
  void open_anyTamperedByte_fails() {
    GossipKeyring keyring = GossipKeyring.of(K1);
    byte[] sealed = keyring.seal(FrameKind.PACKET, MESSAGE);

    for (int i = 0; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 0x01;
      assertThatThrownBy(() -> keyring.open(FrameKind.PACKET, tampered))
          .as("flipped bit in byte %d", i)
          .isInstanceOf(UnauthenticatedFrameException.class);
    }
  }

  @Test
  void open_packetAsStreamRequest_failsOnAssociatedData() {
    GossipKeyring keyring = GossipKeyring.of(K1);
    byte[] packet = keyring.seal(FrameKind.PACKET, MESSAGE);
    byte[] response = keyring.seal(FrameKind.STREAM_RESPONSE, MESSAGE);

    assertThatThrownBy(() -> keyring.open(FrameKind.STREAM_REQUEST, packet))
        .isInstanceOf(UnauthenticatedFrameException.class);
    assertThatThrownBy(() -> keyring.open(FrameKind.STREAM_REQUEST, response))
        .isInstanceOf(UnauthenticatedFrameException.class);
  }

  @Test
  void open_truncatedOrPlaintext_fails() {
    GossipKeyring keyring = GossipKeyring.of(K1);

    assertThatThrownBy(() -> keyring.open(FrameKind.PACKET, new byte[10]))
        .isInstanceOf(UnauthenticatedFrameException.class)
        .hasMessageContaining("too short");
    assertThatThrownBy(() -> keyring.open(FrameKind.PACKET, new byte[100]))
        .isInstanceOf(UnauthenticatedFrameException.class)
        .hasMessageContaining("version");
  }

  @Test
  void open_randomBytes_neverThrowsAnythingElse() {
    GossipKeyring keyring = GossipKeyring.of(K1, K2);
    Random random = new Random(42);
    for (int i = 0; i < 500; i++) {
      byte[] junk = new byte[random.nextInt(200)];
      random.nextBytes(junk);
      if (junk.length > 0 && random.nextBoolean()) {
        junk[0] = GossipKeyring.VERSION;
      }
      assertThatThrownBy(() -> keyring.open(FrameKind.PACKET, junk))
          .isInstanceOf(UnauthenticatedFrameException.class);
    }
  }

  @Test
  void of_badBase64_namesTheKeyButNotItsValue() {
    assertThatThrownBy(() -> GossipKeyring.of(List.of(K1, "not base64 ***secret***")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gossip key 2 of 2 is not valid base64")
        .hasMessageNotContaining("secret");
  }

  @Test
  void of_wrongLength_saysWhatIsNeeded() {
    String aes128 = Base64.getEncoder().encodeToString(new byte[16]);

    assertThatThrownBy(() -> GossipKeyring.of(aes128))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gossip key 1 of 1 decodes to 16 bytes; AES-256 needs 32");
  }

  @Test
  void of_emptyOrBlank_isRejected() {
    assertThatThrownBy(() -> GossipKeyring.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one key");
    assertThatThrownBy(() -> GossipKeyring.of(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gossip key 1 of 1 is empty");
  }

  @Test
  void generateKey_is32RandomBytesInBase64() {
    assertThat(Base64.getDecoder().decode(GossipKeyring.generateKey())).hasSize(32);
    assertThat(GossipKeyring.generateKey()).isNotEqualTo(GossipKeyring.generateKey());
  }

  @Test
  void toString_neverShowsKeys() {
    assertThat(GossipKeyring.of(K1, K2).toString())
        .isEqualTo("GossipKeyring[2 keys]")
        .doesNotContain(K1);
  }
}
