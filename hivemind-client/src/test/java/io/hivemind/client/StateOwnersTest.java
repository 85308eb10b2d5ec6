package io.hivemind.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StateOwnersTest {

  private final ObjectMapper json = HivemindJson.newMapper();

  @Test
  void parse_mapsEachPartitionToItsOwnersAddress() throws IOException {
    StateOwners owners =
        parse(
            "{\"version\":7,\"partitionCount\":3,\"members\":[{\"id\":\"a\",\"name\":\"n0\","
                + "\"http\":\"127.0.0.1:7361\"},{\"id\":\"b\",\"name\":\"n1\",\"http\":\"\"}],"
                + "\"owners\":[0,1,-1],\"extra\":true}");

    assertThat(owners.version()).isEqualTo(7);
    assertThat(owners.partitionCount()).isEqualTo(3);
    assertThat(owners.owner(0)).contains(URI.create("https://127.0.0.1:7361"));
    assertThat(owners.owner(1)).isEmpty(); // a member without an announced address
    assertThat(owners.owner(2)).isEmpty(); // no owner
  }

  @Test
  void parse_readsEachOwnersStateClientAddress_noneWhenAbsentOrEmpty() throws IOException {
    StateOwners owners =
        parse(
            "{\"version\":2,\"partitionCount\":4,\"members\":[{\"http\":\"127.0.0.1:7361\","
                + "\"stateClient\":\"127.0.0.1:7367\"},{\"http\":\"h:1\",\"stateClient\":\"\"},"
                + "{\"http\":\"h:2\"},{\"http\":\"h:3\",\"stateClient\":\"[::1]:7307\"}],"
                + "\"owners\":[0,1,2,3]}");

    assertThat(owners.stateClient(0).orElseThrow())
        .satisfies(
            a -> {
              assertThat(a.getHostString()).isEqualTo("127.0.0.1");
              assertThat(a.getPort()).isEqualTo(7367);
              assertThat(a.isUnresolved()).isTrue(); // resolved when dialled, off the caller
            });
    assertThat(owners.stateClient(1)).isEmpty();
    assertThat(owners.stateClient(2)).isEmpty(); // an agent from before the binary protocol
    assertThat(owners.stateClient(3).orElseThrow().getHostString()).isEqualTo("::1");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"version\":1,\"partitionCount\":1,\"members\":[{\"http\":\"h:1\","
                        + "\"stateClient\":\"no-port\"}],\"owners\":[0]}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no-port");
  }

  @Test
  void parse_refusesAnOwnerPerPartitionMismatch() {
    assertThatThrownBy(
            () -> parse("{\"version\":1,\"partitionCount\":3,\"members\":[],\"owners\":[-1,-1]}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("3 partitions");
  }

  @Test
  void parse_refusesAnOwnerIndexOutOfRange() {
    assertThatThrownBy(
            () ->
                parse(
                    "{\"version\":1,\"partitionCount\":1,\"members\":[{\"http\":\"h:1\"}],"
                        + "\"owners\":[1]}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("index");
  }

  @Test
  void parse_refusesAnAddressThatIsNotHostAndPort() {
    assertThatThrownBy(
            () ->
                parse(
                    "{\"version\":1,\"partitionCount\":1,\"members\":[{\"http\":\"h/x\"}],"
                        + "\"owners\":[0]}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("host:port");
  }

  @Test
  void parse_refusesMissingFields() {
    assertThatThrownBy(() -> parse("{\"partitionCount\":1}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("version");
    assertThatThrownBy(() -> parse("[]")).isInstanceOf(IOException.class);
  }

  private StateOwners parse(String text) throws IOException {
    return StateOwners.parse(json, text.getBytes(StandardCharsets.UTF_8), "https");
  }
}
