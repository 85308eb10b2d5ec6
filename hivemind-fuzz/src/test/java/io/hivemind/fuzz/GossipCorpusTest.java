package io.hivemind.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The captured corpus holds every kind of gossip, so mutants start from all of them. */
class GossipCorpusTest {

  private final GossipCorpus corpus = GossipCorpus.captured();

  @Test
  void packets_holdEveryMessageKind() {
    Set<String> kinds = new TreeSet<>();
    corpus.packets.forEach(p -> kinds.addAll(Set.of(GossipOracle.shape(p).split("\\+"))));

    assertThat(kinds)
        .contains("PING", "ACK", "INDIRECT_PING", "NACK", "ALIVE", "SUSPECT", "DEAD", "LEFT");
    assertThat(corpus.packets).allMatch(GossipOracle::acceptablePacket);
  }

  @Test
  void streams_holdPushPullsAndStreamPings() {
    assertThat(corpus.streamRequests).allMatch(GossipOracle::acceptableFrame);
    assertThat(corpus.streamResponses).allMatch(GossipOracle::acceptableFrame);
    assertThat(corpus.streamRequests.stream().map(GossipOracle::frame))
        .anyMatch(f -> f.hasPushPull())
        .anyMatch(f -> f.hasPing());
    assertThat(GossipOracle.announcedNames(corpus.joinRequest, true)).contains("n1");
    assertThat(corpus.pingSeq).isNotNegative();
  }
}
