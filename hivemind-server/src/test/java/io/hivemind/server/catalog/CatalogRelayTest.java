package io.hivemind.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.catalog.CatalogDelta;
import io.hivemind.core.catalog.CatalogMessage;
import io.hivemind.core.catalog.OwnerState;
import io.hivemind.core.catalog.WireCatalogCodec;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's rules on in-memory links: three control nodes in a mesh, plain agents following them.
 * No sockets, no threads: {@link RelayNetwork} delivers frames one by one.
 */
class CatalogRelayTest {

  private RelayNetwork net;
  private RelayNetwork.Node c1;
  private RelayNetwork.Node c2;
  private RelayNetwork.Node c3;
  private RelayNetwork.Node a;
  private RelayNetwork.Node b;

  @BeforeEach
  void cluster() {
    net = new RelayNetwork();
    c1 = net.node("c1");
    c2 = net.node("c2");
    c3 = net.node("c3");
    a = net.node("a");
    b = net.node("b");
    net.admitAll();
    net.mesh(c1, c2);
    net.mesh(c1, c3);
    net.mesh(c2, c3);
    net.follow(a, c1);
    net.follow(b, c2);
    net.deliverAll(); // the links' first digest exchanges, on empty replicas
  }

  @Test
  void ownDelta_floodsEveryNode_andStops() {
    net.delivered = 0;
    a.register("web-1");
    net.deliverAll();
    for (RelayNetwork.Node node : List.of(c1, c2, c3, b)) {
      assertThat(node.holds("a", "web-1")).as(node.id).isTrue();
    }
    // a→c1, c1→c2, c1→c3, c2→c3 and c3→c2 (echoes, stopped there), c2→b, c3→c1? no: c1 sent it
    // to c3 already, so c3 forwards to c2 only; at most one frame per link direction.
    assertThat(net.delivered).isLessThanOrEqualTo(7);
    long duplicates = c2.stats.duplicates() + c3.stats.duplicates() + c1.stats.duplicates();
    assertThat(duplicates).isPositive(); // the mesh's echoes were seen and stopped
  }

  @Test
  void duplicateDelta_isNotPassedOn() {
    CatalogDelta delta = a.register("web-1");
    net.deliverAll();
    int before = net.delivered;
    RelayNetwork.End[] again = net.follow(a, c1); // a second link: resend the same delta on it
    net.deliverAll();
    int afterDigests = net.delivered;
    again[0].send(WireCatalogCodec.encode(new CatalogMessage.Deltas(List.of(delta))));
    net.deliverAll();
    assertThat(net.delivered - afterDigests).isEqualTo(1); // delivered to c1, passed on to nobody
    assertThat(c1.stats.duplicates()).isPositive();
    assertThat(before).isPositive();
  }

  @Test
  void gap_asksTheSenderForTheOwnersState() {
    RelayNetwork.End[] link = net.follow(a, c1);
    net.deliverAll();
    net.dropping = true; // a's first delta is lost on every link
    a.register("web-1");
    net.dropping = false;
    a.register("web-2"); // seq 1..2: c1 holds nothing of a, so this is a gap
    net.deliverAll();
    assertThat(c1.stats.gaps()).isPositive();
    for (RelayNetwork.Node node : List.of(c1, c2, c3, b)) {
      assertThat(node.holds("a", "web-1")).as(node.id).isTrue();
      assertThat(node.holds("a", "web-2")).as(node.id).isTrue();
    }
    assertThat(link).isNotNull();
  }

  @Test
  void followerSendingAnotherOwnersDelta_isRefusedAndCounted() {
    b.register("web-b");
    net.deliverAll();
    CatalogDelta forged =
        new CatalogDelta(
            "b", 1, 1, 2, List.of(), List.of("web-b")); // a pretends to deregister b's instance
    RelayNetwork.End[] link = net.follow(a, c1);
    net.deliverAll();
    link[0].send(WireCatalogCodec.encode(new CatalogMessage.Deltas(List.of(forged))));
    link[0].send(
        WireCatalogCodec.encode(
            new CatalogMessage.States(List.of(new OwnerState("b", 2, 0, List.of())))));
    net.deliverAll();
    assertThat(c1.stats.forged()).isEqualTo(2);
    for (RelayNetwork.Node node : List.of(c1, c2, c3, b)) {
      assertThat(node.holds("b", "web-b")).as(node.id).isTrue();
    }
  }

  @Test
  void controlMeshLink_mayRelayAnyOwner() {
    RelayNetwork.Node c4 = net.node("c4");
    net.admitAll();
    RelayNetwork.End[] link = net.mesh(c4, c1);
    net.deliverAll();
    CatalogDelta relayed =
        new CatalogDelta("b", 1, 0, 1, List.of(RelayNetwork.instance("b", "web-b")), List.of());
    link[0].send(WireCatalogCodec.encode(new CatalogMessage.Deltas(List.of(relayed))));
    net.deliverAll();
    assertThat(c1.stats.forged()).isZero();
    assertThat(c1.holds("b", "web-b")).isTrue();
    assertThat(a.holds("b", "web-b")).isTrue();
  }

  @Test
  void linkRestored_isRepairedByTheDigestExchange() {
    RelayNetwork.Node d = net.node("d");
    net.admitAll();
    RelayNetwork.End[] link = net.follow(d, c3);
    net.deliverAll();
    net.cut(link);
    a.register("web-1");
    net.deliverAll();
    d.register("web-d"); // sent on no link: d has none
    net.deliverAll();
    assertThat(d.holds("a", "web-1")).isFalse();
    assertThat(c3.holds("d", "web-d")).isFalse();
    net.follow(d, c3);
    net.deliverAll();
    assertThat(d.holds("a", "web-1")).isTrue();
    for (RelayNetwork.Node node : List.of(c1, c2, c3, a, b)) {
      assertThat(node.holds("d", "web-d")).as(node.id).isTrue();
    }
  }

  @Test
  void uplink_sendsOnlyTheFollowersOwnStates() {
    b.register("web-b");
    a.register("web-a");
    net.deliverAll();
    RelayNetwork.End[] link = net.follow(a, c2);
    net.deliverAll();
    for (byte[] frame : link[0].sent) {
      try {
        CatalogMessage message = WireCatalogCodec.decode(frame);
        if (message instanceof CatalogMessage.States states) {
          assertThat(states.states()).allMatch(s -> s.owner().equals("a"));
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    assertThat(c2.stats.forged()).isZero();
  }

  @Test
  void periodicDigest_healsALostDelta() {
    net.dropping = true;
    a.register("web-1");
    net.dropping = false;
    net.deliverAll();
    assertThat(b.holds("a", "web-1")).isFalse();
    for (RelayNetwork.Node node : List.of(c1, c2, c3, a, b)) {
      node.relay.digestAll();
    }
    net.deliverAll();
    assertThat(b.holds("a", "web-1")).isTrue();
  }

  /**
   * Under a steady write load a peer's periodic digest is always a little behind: what it lacks is
   * in flight on the link. Answering it with the owner's whole state every round re-sent every
   * instance to every replica every 10 s; the answer now waits while the peer catches up.
   */
  @Test
  void periodicDigest_doesNotResendAStateWhoseChangesAreInFlight_butDoesOnceThePeerStandsStill() {
    a.register("web-1");
    net.deliverAll();
    a.register("web-2");
    assertThat(net.deliverNext()).isTrue(); // c1 applied seq 2 and sent it on to c2 and c3
    c2.relay.digestAll(); // c2's digest says seq 1: behind, not before (the owner just got busy)
    net.deliverAll();

    a.register("web-3");
    assertThat(net.deliverNext()).isTrue(); // c1 applied seq 3 and sent it on
    c2.relay.digestAll(); // seq 2: behind again, but moved since its previous digest
    long framesBefore = c1.stats.framesSent();
    net.deliverAll();

    assertThat(c1.stats.framesSent()).as("c1 sent no state of a").isEqualTo(framesBefore);
    assertThat(c1.stats.repairsDeferred()).isPositive();
    for (RelayNetwork.Node node : List.of(c1, c2, c3, b)) {
      assertThat(node.holds("a", "web-3")).as(node.id).isTrue();
    }

    // A peer behind at its previous digest whose version stood still since (here: a change of c1
    // lost on every link while the links stayed up, and the first answer lost too) gets the state.
    c1.register("c1-web-0");
    net.deliverAll();
    net.dropping = true;
    c1.register("c1-web-1");
    net.dropping = false;
    c2.relay.digestAll(); // c2 is behind on c1
    net.dropping = true; // the answers are lost
    net.deliverAll();
    net.dropping = false;
    assertThat(c2.holds("c1", "c1-web-1")).isFalse();
    c2.relay.digestAll(); // behind before, and stood still since: the state
    net.deliverAll();
    assertThat(c2.holds("c1", "c1-web-1")).isTrue();
  }

  @Test
  void unadmittedOwner_isRefusedByTheReplica_andNotPassedOn() {
    RelayNetwork.Node stranger = net.node("stranger"); // never admitted anywhere
    RelayNetwork.End[] link = net.follow(stranger, c1);
    net.deliverAll();
    stranger.replica.ownerAdmitted("stranger");
    stranger.register("web-x");
    net.deliverAll();
    assertThat(c1.stats.unknownOwners()).isPositive();
    assertThat(c2.holds("stranger", "web-x")).isFalse();
    assertThat(link).isNotNull();
  }

  @Test
  void ownerAdmittedAfterItsChangesWereRefused_isAskedForAtOnce() {
    RelayNetwork.Node late = net.node("late");
    late.replica.ownerAdmitted("late");
    c1.replica.ownerAdmitted("c2"); // already admitted everywhere
    net.follow(late, c1);
    net.deliverAll();
    late.register("web-late");
    net.deliverAll();
    assertThat(c1.holds("late", "web-late")).isFalse(); // refused: not admitted on c1 yet
    c1.relay.ownersChanged();
    net.deliverAll();
    assertThat(c1.holds("late", "web-late")).isFalse(); // still not admitted: nothing asked
    for (RelayNetwork.Node node : List.of(c1, c2, c3, a, b)) {
      node.replica.ownerAdmitted("late"); // the registry commits its admission
    }
    c1.relay.ownersChanged();
    net.deliverAll();
    for (RelayNetwork.Node node : List.of(c1, c2, c3, a, b)) {
      assertThat(node.holds("late", "web-late")).as(node.id).isTrue();
    }
  }

  @Test
  void malformedFrame_isDroppedAndCounted() {
    RelayNetwork.End[] link = net.follow(a, c1);
    net.deliverAll();
    link[0].send(new byte[] {1, 2, 3});
    net.deliverAll();
    assertThat(c1.stats.malformed()).isEqualTo(1);
    a.register("web-1"); // the link still works
    net.deliverAll();
    assertThat(b.holds("a", "web-1")).isTrue();
  }

  @Test
  void manyStates_areSplitUnderTheFrameLimit_andOneLargerThanAFrameTravelsInChunks() {
    List<String> owners = List.of("o1", "o2", "o3", "o4", "o5", "o6");
    for (String owner : owners) {
      c1.replica.ownerAdmitted(owner);
      List<io.hivemind.core.catalog.ServiceInstance> instances = new java.util.ArrayList<>();
      for (int i = 0; i < 150; i++) { // ~15 KB a state: the six cannot share one 64 KB frame
        instances.add(RelayNetwork.instance(owner, "web-" + i));
      }
      c1.replica.apply(new OwnerState(owner, 1, 1, instances));
    }
    c1.replica.ownerAdmitted("huge");
    List<io.hivemind.core.catalog.ServiceInstance> huge = new java.util.ArrayList<>();
    for (int i = 0; i < 3_000; i++) { // ~150 KB: over the 64 KB frame, so it goes in chunks
      huge.add(RelayNetwork.instance("huge", "web-" + i));
    }
    c1.replica.apply(new OwnerState("huge", 1, 1, huge));
    RelayNetwork.Node e = net.node("e");
    owners.forEach(e.replica::ownerAdmitted);
    e.replica.ownerAdmitted("huge");
    RelayNetwork.End[] link = net.follow(e, c1);
    net.deliverAll();
    for (String owner : owners) {
      assertThat(e.holds(owner, "web-149")).as(owner).isTrue();
    }
    assertThat(link[1].sent).hasSizeGreaterThan(2).allMatch(frame -> frame.length <= 64 * 1024);
    assertThat(c1.stats.oversized()).isZero();
    assertThat(e.held("huge")).isEqualTo(3_000);
    assertThat(e.stats.chunksReceived()).isGreaterThan(2);
  }

  /**
   * Regression: an owner re-admitted under a new id drains its whole state as one delta; over the
   * frame limit it was dropped, its repair answer too, and every other replica held none of it.
   */
  @Test
  void ownDeltaOverTheFrameLimit_travelsAsItsOwnersStateInChunks_toEveryNode() {
    CatalogDelta delta = a.registerAll(3_000); // ~150 KB in one delta: over the 64 KB frame
    assertThat(WireCatalogCodec.encode(new CatalogMessage.Deltas(List.of(delta))).length)
        .isGreaterThan(64 * 1024);
    net.deliverAll();
    for (RelayNetwork.Node node : List.of(c1, c2, c3, b)) {
      assertThat(node.held("a")).as(node.id).isEqualTo(3_000);
      assertThat(node.replica.version("a")).as(node.id).isEqualTo(delta.version());
    }
    for (RelayNetwork.Node node : List.of(a, c1, c2, c3, b)) {
      assertThat(node.stats.oversized()).as(node.id).isZero();
    }
    a.register("web-extra"); // the next small delta follows the chunked state everywhere
    net.deliverAll();
    assertThat(b.holds("a", "web-extra")).isTrue();
  }

  @Test
  void newNodeJoiningALargeCatalogue_isFilledInChunks() {
    a.registerAll(3_000);
    net.deliverAll();
    RelayNetwork.Node late = net.node("late");
    late.replica.ownerAdmitted("a");
    late.replica.ownerAdmitted("late");
    RelayNetwork.End[] link = net.follow(late, c3);
    net.deliverAll();
    assertThat(late.held("a")).isEqualTo(3_000);
    assertThat(link[1].sent).allMatch(frame -> frame.length <= 64 * 1024);
  }

  @Test
  void chunkedState_isNotVisibleUntilItsLastChunk_thenReplacesTheOldOneWhole() {
    a.register("old-1");
    net.deliverAll();
    RelayNetwork.End[] link = net.follow(a, c1);
    net.deliverAll();
    List<io.hivemind.core.catalog.ServiceInstance> instances = new java.util.ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      instances.add(RelayNetwork.instance("a", "web-" + i));
    }
    List<byte[]> chunks =
        WireCatalogCodec.encodeChunks(new OwnerState("a", 1, 9, instances), 16 * 1024);
    for (byte[] chunk : chunks.subList(0, chunks.size() - 1)) {
      c1.relay.received(link[1], chunk);
      assertThat(c1.holds("a", "old-1")).isTrue();
      assertThat(c1.held("a")).isEqualTo(1);
    }
    c1.relay.received(link[1], chunks.get(chunks.size() - 1));
    assertThat(c1.held("a")).isEqualTo(3_000);
    assertThat(c1.holds("a", "old-1")).isFalse();
    net.deliverAll(); // and passed on, chunked again, to the others
    assertThat(b.held("a")).isEqualTo(3_000);
  }

  @Test
  void chunkOfAnotherOwnerOnAFollowersLink_isRefusedAsForged() {
    RelayNetwork.End[] link = net.follow(a, c1);
    net.deliverAll();
    List<io.hivemind.core.catalog.ServiceInstance> instances =
        List.of(RelayNetwork.instance("b", "web-1"));
    for (byte[] chunk :
        WireCatalogCodec.encodeChunks(new OwnerState("b", 1, 9, instances), 16 * 1024)) {
      c1.relay.received(link[1], chunk);
    }
    assertThat(c1.stats.forged()).isEqualTo(1);
    assertThat(c1.stats.chunksReceived()).isZero();
    assertThat(c1.holds("b", "web-1")).isFalse();
  }
}
