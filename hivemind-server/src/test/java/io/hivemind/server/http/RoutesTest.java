package io.hivemind.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoutesTest {

  private final Routes.Endpoint members = request -> {};
  private final Routes.Endpoint join = request -> {};
  private final Routes.Endpoint joinBare = request -> {};
  private final Routes routes =
      new Routes()
          .add(HttpMethod.GET, "/v1/agent/members", members)
          .add(HttpMethod.PUT, "/v1/agent/join/{address}", join)
          .add(HttpMethod.PUT, "/v1/agent/join", joinBare);

  @Test
  void exactPath_found() {
    assertThat(routes.match(HttpMethod.GET, "/v1/agent/members"))
        .isEqualTo(new Routes.Found(members, Map.of(), "/v1/agent/members"));
  }

  @Test
  void trailingSlash_sameEndpoint() {
    assertThat(routes.match(HttpMethod.GET, "/v1/agent/members/"))
        .isEqualTo(new Routes.Found(members, Map.of(), "/v1/agent/members"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/agent/membersx", "/v1/agent", "/", "/v1/agent/members/x", "//"})
  void otherPaths_notFound(String path) {
    assertThat(routes.match(HttpMethod.GET, path)).isEqualTo(new Routes.NotFound());
  }

  @Test
  void parameter_decodedAndPlusKept() {
    assertThat(routes.match(HttpMethod.PUT, "/v1/agent/join/a%20b+c%3A1"))
        .isEqualTo(
            new Routes.Found(join, Map.of("address", "a b+c:1"), "/v1/agent/join/{address}"));
  }

  @Test
  void parameterSegment_mustNotBeEmpty() {
    assertThat(routes.match(HttpMethod.PUT, "/v1/agent/join//")).isEqualTo(new Routes.NotFound());
  }

  @Test
  void wrongMethod_namesTheMethodsThePathTakes() {
    assertThat(routes.match(HttpMethod.DELETE, "/v1/agent/join/x"))
        .isEqualTo(new Routes.WrongMethod(java.util.Set.of("PUT")));
  }

  @ParameterizedTest
  @CsvSource(
      value = {
        "/v1/kv/app/config,app/config",
        "/v1/kv/app/config/,app/config/",
        "/v1/kv/,''",
        "/v1/kv,''",
        "/v1/kv/a%2Fb%20c+d,a/b c+d",
        "/v1/kv//lead,/lead"
      })
  void restParameter_takesTheRestOfThePathWithItsTrailingSlash(String path, String key) {
    Routes.Endpoint kv = request -> {};
    Routes rest = new Routes().add(HttpMethod.GET, "/v1/kv/{key...}", kv);

    assertThat(rest.match(HttpMethod.GET, path))
        .isEqualTo(new Routes.Found(kv, Map.of("key", key), "/v1/kv/{key...}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/kvx", "/v1/kvx/a", "/v1", "/v2/kv/a", "kv"})
  void restParameter_fixedSegmentsMustMatch(String path) {
    Routes rest = new Routes().add(HttpMethod.GET, "/v1/kv/{key...}", request -> {});

    assertThat(rest.match(HttpMethod.GET, path)).isEqualTo(new Routes.NotFound());
  }

  @Test
  void templateWithoutSlash_refused() {
    assertThatThrownBy(() -> routes.add(HttpMethod.GET, "v1/x", members))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("v1/x");
  }
}
