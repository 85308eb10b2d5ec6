package io.hivemind.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CatalogSessionsTest {

  private final CatalogSessions sessions =
      new CatalogSessions(new Random(7), Duration.ofSeconds(5), 3, "node-a");

  private CatalogSessions.Attach.Attached open() {
    return (CatalogSessions.Attach.Attached) sessions.attach(SessionCredentials.NONE);
  }

  @Test
  void attach_withoutCredentials_opensNewSessionWithSecret() {
    CatalogSessions.Attach.Attached first = open();
    CatalogSessions.Attach.Attached second = open();
    assertThat(first.resumed()).isFalse();
    assertThat(first.credentials().id()).startsWith("node-a-s1-");
    assertThat(first.credentials().secret()).hasSize(SessionMessage.SECRET_BYTES);
    assertThat(second.credentials().id()).isNotEqualTo(first.credentials().id());
    assertThat(sessions.isAttached(first.credentials().id(), first.connection())).isTrue();
  }

  @Test
  void disconnected_expiresOnlyAfterGrace() {
    CatalogSessions.Attach.Attached session = open();
    String id = session.credentials().id();
    assertThat(sessions.disconnected(id, session.connection(), 1_000)).isTrue();
    assertThat(sessions.nextExpiryMillis()).contains(6_000L);
    assertThat(sessions.expire(5_999)).isEmpty();
    assertThat(sessions.expire(6_000)).containsExactly(id);
    assertThat(sessions.contains(id)).isFalse();
    assertThat(sessions.nextExpiryMillis()).isEmpty();
  }

  @Test
  void resume_withinGrace_keepsSessionAndStopsExpiry() {
    CatalogSessions.Attach.Attached session = open();
    String id = session.credentials().id();
    sessions.disconnected(id, session.connection(), 1_000);
    CatalogSessions.Attach.Attached resumed =
        (CatalogSessions.Attach.Attached) sessions.attach(session.credentials());
    assertThat(resumed.resumed()).isTrue();
    assertThat(resumed.credentials()).isEqualTo(session.credentials());
    assertThat(sessions.expire(100_000)).isEmpty();
    assertThat(sessions.isAttached(id, resumed.connection())).isTrue();
  }

  @Test
  void resume_withWrongSecret_opensNewSession_andOldOneStillExpires() {
    CatalogSessions.Attach.Attached session = open();
    String id = session.credentials().id();
    sessions.disconnected(id, session.connection(), 0);
    CatalogSessions.Attach.Attached other =
        (CatalogSessions.Attach.Attached)
            sessions.attach(new SessionCredentials(id, new byte[] {9}));
    assertThat(other.resumed()).isFalse();
    assertThat(other.credentials().id()).isNotEqualTo(id);
    assertThat(sessions.expire(5_000)).containsExactly(id);
  }

  @Test
  void lateCloseOfSupersededConnection_doesNotStartGrace() {
    CatalogSessions.Attach.Attached session = open();
    String id = session.credentials().id();
    CatalogSessions.Attach.Attached moved =
        (CatalogSessions.Attach.Attached) sessions.attach(session.credentials());
    assertThat(sessions.disconnected(id, session.connection(), 0)).isFalse();
    assertThat(sessions.expire(60_000)).isEmpty();
    assertThat(sessions.isAttached(id, moved.connection())).isTrue();
  }

  @Test
  void attach_beyondMax_isFull_butResumeStillWorks() {
    CatalogSessions.Attach.Attached first = open();
    open();
    open();
    assertThat(sessions.attach(SessionCredentials.NONE))
        .isEqualTo(new CatalogSessions.Attach.Full(3));
    assertThat(sessions.attach(first.credentials()))
        .isInstanceOf(CatalogSessions.Attach.Attached.class);
  }

  @Test
  void constructor_refusesBadBounds() {
    assertThatThrownBy(() -> new CatalogSessions(new Random(), Duration.ofSeconds(1), 0, "a"))
        .hasMessageContaining("maxSessions");
    assertThatThrownBy(() -> new CatalogSessions(new Random(), Duration.ofSeconds(-1), 1, "a"))
        .hasMessageContaining("grace");
  }
}
