package io.hivemind.it.layering;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.hivemind.core.layeringfixture.CoreClassThatReadsTheClock;
import io.hivemind.core.layeringfixture.CoreClassThatSeesProtobuf;
import io.hivemind.core.layeringfixture.CoreClassThatUsesNetty;
import io.hivemind.core.layeringfixture.CoreClassThatUsesThreads;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the layering of docs/architecture.md on every build, over the main classes of every module
 * on this module's class path (hivemind-it depends on all of them through the CLI), and shows that
 * the rules bite: each is run on a deliberately wrong class too.
 */
class LayeringTest {

  private static final JavaClasses MAIN_CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.hivemind");

  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of("core has no I/O or threads", LayeringRules.CORE_HAS_NO_IO_OR_THREADS),
        Arguments.of("core reads no clock", LayeringRules.CORE_READS_NO_CLOCK),
        Arguments.of(
            "protobuf only in the codec", LayeringRules.CORE_SEES_PROTOBUF_ONLY_IN_THE_CODEC),
        Arguments.of(
            "Netty only where sockets are owned", LayeringRules.NETTY_ONLY_WHERE_SOCKETS_ARE_OWNED),
        Arguments.of(
            "Ratis only in the control plane", LayeringRules.RATIS_ONLY_IN_THE_CONTROL_PLANE),
        Arguments.of(
            "nothing imports the composition root",
            LayeringRules.NOTHING_IMPORTS_THE_COMPOSITION_ROOT),
        Arguments.of("api sees no other module", LayeringRules.API_SEES_NO_OTHER_MODULE),
        Arguments.of("core sees only the api", LayeringRules.CORE_SEES_ONLY_THE_API),
        Arguments.of("simulator sees no agent", LayeringRules.SIMULATOR_SEES_NO_AGENT),
        Arguments.of("server sees no front end", LayeringRules.SERVER_SEES_NO_FRONT_END),
        Arguments.of("client sees only the api", LayeringRules.CLIENT_SEES_ONLY_THE_API),
        Arguments.of("no package cycles", LayeringRules.NO_PACKAGE_CYCLES));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void mainCode_followsTheRule(String name, ArchRule rule) {
    rule.check(MAIN_CLASSES);
  }

  @Test
  void mainCode_coversEveryModule() {
    // An import that silently found nothing (a changed class path) would pass every rule.
    Stream.of("api", "core", "sim", "server", "control", "client", "cli")
        .forEach(
            module ->
                assertThat(MAIN_CLASSES.containPackage("io.hivemind." + module))
                    .as("classes of io.hivemind.%s imported", module)
                    .isTrue());
  }

  @Test
  void coreClassUsingNetty_breaksTheRules() {
    JavaClasses wrong = new ClassFileImporter().importClasses(CoreClassThatUsesNetty.class);

    assertThat(LayeringRules.CORE_HAS_NO_IO_OR_THREADS.evaluate(wrong).hasViolation()).isTrue();
    assertThat(LayeringRules.NETTY_ONLY_WHERE_SOCKETS_ARE_OWNED.evaluate(wrong).hasViolation())
        .isTrue();
  }

  @Test
  void coreClassUsingThreads_breaksTheRule() {
    JavaClasses wrong = new ClassFileImporter().importClasses(CoreClassThatUsesThreads.class);

    assertThat(LayeringRules.CORE_HAS_NO_IO_OR_THREADS.evaluate(wrong).hasViolation()).isTrue();
  }

  @Test
  void coreClassReadingTheClock_breaksTheRule() {
    JavaClasses wrong = new ClassFileImporter().importClasses(CoreClassThatReadsTheClock.class);

    assertThat(LayeringRules.CORE_READS_NO_CLOCK.evaluate(wrong).hasViolation()).isTrue();
  }

  @Test
  void protocolClassSeeingProtobuf_breaksTheRule() {
    JavaClasses wrong = new ClassFileImporter().importClasses(CoreClassThatSeesProtobuf.class);

    assertThat(LayeringRules.CORE_SEES_PROTOBUF_ONLY_IN_THE_CODEC.evaluate(wrong).hasViolation())
        .isTrue();
  }
}
