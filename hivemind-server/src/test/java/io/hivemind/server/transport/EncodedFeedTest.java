package io.hivemind.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.control.GatewayMessage;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

/** Entry frames encoded once and shared; every buffer released once nobody needs it. */
class EncodedFeedTest {

  @Test
  void entry_askedByManyFollowers_isEncodedOnceAndDecodesToTheEntry() throws Exception {
    EncodedFeed feed = new EncodedFeed(10);
    byte[] bytes = {1, 2, 3};
    ByteBuf first = feed.entry(5, bytes);
    ByteBuf second = feed.entry(5, bytes);

    assertThat(feed.encoded()).isEqualTo(1);
    assertThat(first.readInt()).isEqualTo(first.readableBytes());
    GatewayMessage decoded = GatewayFrames.decode(first);
    assertThat(decoded).isInstanceOf(GatewayMessage.Entry.class);
    assertThat(((GatewayMessage.Entry) decoded).entryBytes()).containsExactly(bytes);
    assertThat(second.readerIndex()).isZero(); // each follower reads its own duplicate
    first.release();
    second.release();
    feed.close();
  }

  @Test
  void evictedAndClosedFrames_areReleasedOnceTheirReadersAreDone() {
    EncodedFeed feed = new EncodedFeed(2);
    ByteBuf held = feed.entry(1, new byte[] {1});
    feed.entry(2, new byte[] {2}).release();
    feed.entry(3, new byte[] {3}).release(); // evicts 1; the follower still holds it

    assertThat(held.refCnt()).isEqualTo(1);
    held.release();
    assertThat(held.refCnt()).isZero();

    ByteBuf snapshot = feed.snapshot(3, new byte[] {9});
    feed.close();
    assertThat(snapshot.refCnt()).isEqualTo(1);
    snapshot.release();
    assertThat(snapshot.refCnt()).isZero();
  }

  @Test
  void snapshot_sameBytes_isShared_newBytes_replaceIt() {
    EncodedFeed feed = new EncodedFeed(2);
    byte[] bytes = {7};
    feed.snapshot(4, bytes).release();
    feed.snapshot(4, bytes).release();
    assertThat(feed.encoded()).isEqualTo(1);
    feed.snapshot(8, new byte[] {8}).release();
    assertThat(feed.encoded()).isEqualTo(2);
    feed.close();
  }
}
