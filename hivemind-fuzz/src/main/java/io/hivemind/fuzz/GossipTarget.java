package io.hivemind.fuzz;

import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.DropReason;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipConfig;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.core.membership.MembershipNode;
import io.hivemind.core.membership.MembershipOutput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The gossip decoder, through {@link MembershipNode}'s public inputs: {@code onPacket}, {@code
 * onStreamRequest} and {@code onStreamResponse} (the answer to a join the node opened). A trial is
 * a fresh node that knows a small cluster, then one to four mutated inputs with time passing (and
 * timers firing) between them. After each input:
 *
 * <ul>
 *   <li>nothing was thrown;
 *   <li>the input was counted as dropped (a {@link DropReason} counter rose), or it is one a node
 *       of our cluster may take ({@link GossipOracle});
 *   <li>a stream answer, if any, is a frame of ours;
 *   <li>the node still works: it has timers armed, and a valid Ping from a member gets its Ack;
 *   <li>every member the node holds was announced by some input (an Alive record or a push-pull
 *       member), so the table holds no more members than distinct announced names, plus itself.
 * </ul>
 *
 * Each input is counted under "packet", "stream request" or "stream response" and its drop reason,
 * or "accepted".
 */
public final class GossipTarget implements FuzzTarget {

  /** A packet may be up to 65,507 bytes; a little more tests the bound. */
  private static final int MAX_PACKET = 66_000;

  /** Frames may be 64 MiB; mutants stay small enough to run a million of them. */
  private static final int MAX_FRAME = 70_000;

  private static final Address SEED = GossipCorpus.address(1);

  private enum Kind {
    PACKET("packet"),
    STREAM_REQUEST("stream request"),
    STREAM_RESPONSE("stream response");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private final GossipCorpus corpus = GossipCorpus.captured();
  private final ByteMutator packets = new ByteMutator(corpus.packets, MAX_PACKET);
  private final ByteMutator requests = new ByteMutator(corpus.streamRequests, MAX_FRAME);
  private final ByteMutator responses = new ByteMutator(corpus.streamResponses, MAX_FRAME);

  @Override
  public String name() {
    return "gossip";
  }

  @Override
  public void run(Choices choices, Outcomes outcomes) {
    Trial trial = new Trial(choices.draw());
    int inputs = choices.between(1, 4);
    for (int i = 0; i < inputs; i++) {
      trial.advance(choices.below(3_000));
      Kind kind = choices.pick(Kind.PACKET, Kind.PACKET, Kind.STREAM_REQUEST, Kind.STREAM_RESPONSE);
      ByteMutator mutator =
          switch (kind) {
            case PACKET -> packets;
            case STREAM_REQUEST -> requests;
            case STREAM_RESPONSE -> responses;
          };
      Address from =
          choices.oneIn(4)
              ? new Address("192.0.2." + choices.below(256), choices.below(65_536))
              : GossipCorpus.address(choices.between(1, 4));
      outcomes.count(trial.feed(kind, from, mutator.next(choices)));
    }
  }

  /** One node under fuzz, and what it has been told. */
  private final class Trial {

    private final Recorder output = new Recorder();
    private final MembershipNode node;
    private final Set<String> announced = new HashSet<>();
    private long now;

    Trial(long seed) {
      node =
          new MembershipNode(
              GossipCorpus.identity(0), MembershipConfig.lan(), new SplittableRandom(seed), output);
      node.start(0);
      node.onStreamRequest(SEED, corpus.joinRequest, 0);
      announced.addAll(GossipOracle.announcedNames(corpus.joinRequest, true));
    }

    void advance(long millis) {
      now += millis;
      for (int i = 0; i < 10_000 && node.nextDeadlineMillis() <= now; i++) {
        node.tick(now);
      }
    }

    /** Feeds one input and checks every property; returns the input's outcome. */
    String feed(Kind kind, Address from, byte[] input) {
      long[] before = drops();
      byte[] answer = deliver(kind, from, input);
      String outcome = kind.label + " " + outcome(before, drops());
      boolean counted = !outcome.endsWith("accepted");
      boolean frame = kind != Kind.PACKET;
      if (!counted
          && !(frame
              ? GossipOracle.acceptableFrame(input)
              : GossipOracle.acceptablePacket(input))) {
        throw new FuzzFailure(
            "every input not taken is counted",
            kind.label + " from " + from + " was neither counted as dropped nor valid",
            input);
      }
      if (answer != null && !GossipOracle.acceptableFrame(answer)) {
        throw new FuzzFailure(
            "stream answers are frames of ours",
            "the node answered with bytes that are not one",
            input);
      }
      announced.addAll(GossipOracle.announcedNames(input, frame));
      checkMembers(input);
      checkStillWorks(input);
      return outcome;
    }

    private byte[] deliver(Kind kind, Address from, byte[] input) {
      try {
        return switch (kind) {
          case PACKET -> {
            node.onPacket(from, input, now);
            yield null;
          }
          case STREAM_REQUEST -> node.onStreamRequest(from, input, now);
          case STREAM_RESPONSE -> {
            node.join(List.of(SEED), now);
            node.onStreamResponse(output.lastStreamId, input, now);
            yield null;
          }
        };
      } catch (RuntimeException | StackOverflowError e) {
        throw new FuzzFailure("nothing received throws out of the node", e.toString(), input, e);
      }
    }

    private void checkMembers(byte[] input) {
      for (Member member : node.members()) {
        if (!member.name().equals("n0") && !announced.contains(member.name())) {
          throw new FuzzFailure(
              "every member was announced",
              "member '" + member.name() + "' is in the table, and no input announced it",
              input);
        }
      }
    }

    /** A running node has timers armed, and answers a member's ping. */
    private void checkStillWorks(byte[] input) {
      if (node.nextDeadlineMillis() == Long.MAX_VALUE) {
        throw new FuzzFailure("the node keeps working", "no timer is armed after the input", input);
      }
      output.packets.clear();
      try {
        node.onPacket(SEED, corpus.ping, now);
      } catch (RuntimeException e) {
        throw new FuzzFailure("the node keeps working", "a valid ping threw " + e, input, e);
      }
      announced.addAll(GossipOracle.announcedNames(corpus.ping, false));
      boolean acked =
          output.packets.stream()
              .anyMatch(p -> p.to().equals(SEED) && GossipOracle.acks(p.bytes(), corpus.pingSeq));
      if (!acked) {
        throw new FuzzFailure(
            "the node keeps working", "a valid ping after the input got no ack", input);
      }
    }

    private long[] drops() {
      long[] drops = new long[DropReason.values().length];
      for (DropReason reason : DropReason.values()) {
        drops[reason.ordinal()] = node.stats().dropped(reason);
      }
      return drops;
    }
  }

  private static String outcome(long[] before, long[] after) {
    List<String> reasons = new ArrayList<>();
    for (DropReason reason : DropReason.values()) {
      if (after[reason.ordinal()] > before[reason.ordinal()]) {
        reasons.add(reason.name());
      }
    }
    return reasons.isEmpty() ? "accepted" : String.join("+", reasons);
  }

  /** The node's output: packets kept until the next check, the last stream it opened. */
  private static final class Recorder implements MembershipOutput {

    private record Sent(Address to, byte[] bytes) {}

    final List<Sent> packets = new ArrayList<>();
    long lastStreamId = -1;

    @Override
    public void sendPacket(Address to, byte[] packet) {
      if (packets.size() < 10_000) {
        packets.add(new Sent(to, packet));
      }
    }

    @Override
    public void openStream(Address to, long streamId, byte[] request) {
      lastStreamId = streamId;
    }

    @Override
    public void onEvent(MembershipEvent event) {}
  }
}
