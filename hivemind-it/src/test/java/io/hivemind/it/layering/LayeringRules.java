package io.hivemind.it.layering;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;

/**
 * The layering of docs/architecture.md ("Layering rules"), as rules the build checks. Each rule is
 * a constant so that {@link LayeringTest} can run it against the whole code base and, on a
 * deliberately wrong class, show that it fails.
 */
final class LayeringRules {

  /** Packages that own sockets, and so may use Netty's channel API. */
  static final String[] SOCKET_OWNERS = {
    "io.hivemind.server.transport..", "io.hivemind.server.http..", "io.hivemind.server.dns.."
  };

  /** The control plane: the only code that may touch Apache Ratis. */
  static final String CONTROL_PLANE = "io.hivemind.control..";

  /** The composition root: it wires everything, so nothing it wires may point back at it. */
  static final String COMPOSITION_ROOT = "io.hivemind.server.agent..";

  private static final Set<String> CLOCK_READS =
      Set.of(
          "java.lang.System.currentTimeMillis",
          "java.lang.System.nanoTime",
          "java.lang.Thread.sleep",
          "java.time.Instant.now",
          "java.time.LocalDateTime.now",
          "java.time.LocalDate.now",
          "java.time.OffsetDateTime.now",
          "java.time.ZonedDateTime.now",
          "java.time.Clock.systemUTC",
          "java.time.Clock.systemDefaultZone");

  private LayeringRules() {}

  /** hivemind-core is a pure state machine: no Netty, sockets, Ratis, threads or executors. */
  static final ArchRule CORE_HAS_NO_IO_OR_THREADS =
      noClasses()
          .that()
          .resideInAPackage("io.hivemind.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.netty..",
              "java.net..",
              "java.nio.channels..",
              "org.apache.ratis..",
              "java.util.concurrent..")
          .orShould()
          .dependOnClassesThat()
          .areAssignableTo(Thread.class)
          .orShould()
          .dependOnClassesThat()
          .areAssignableTo(java.util.Timer.class)
          .because("the core is driven by messages and ticks; the driver owns threads and sockets");

  /** hivemind-core reads no clock: time is passed in with every input. */
  static final ArchRule CORE_READS_NO_CLOCK =
      noClasses()
          .that()
          .resideInAPackage("io.hivemind.core..")
          .should()
          .callMethodWhere(describe("a clock read or a sleep", LayeringRules::readsClock))
          .orShould()
          .dependOnClassesThat()
          .areAssignableTo(java.time.Clock.class)
          .because("every input carries nowMillis, so the simulator's virtual time can drive it");

  /**
   * Network bytes are decoded once, at the edge: inside hivemind-core only the codec classes (named
   * {@code Wire*}) see protobuf or the generated wire types.
   */
  static final ArchRule CORE_SEES_PROTOBUF_ONLY_IN_THE_CODEC =
      noClasses()
          .that()
          .resideInAPackage("io.hivemind.core..")
          .and()
          .resideOutsideOfPackage("io.hivemind.core.wire.proto..")
          .and(
              describe(
                  "are not codec classes (Wire*, with the classes the compiler nests in them)",
                  (JavaClass c) -> !topLevelSimpleName(c).startsWith("Wire")))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.google.protobuf..", "io.hivemind.core.wire.proto..")
          .because("protocol logic works on validated records, never on generated wire types");

  /** Only the packages that own sockets use Netty. */
  static final ArchRule NETTY_ONLY_WHERE_SOCKETS_ARE_OWNED =
      noClasses()
          .that()
          .resideInAPackage("io.hivemind..")
          .and()
          .resideOutsideOfPackages(SOCKET_OWNERS)
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.netty..")
          .because("drivers reach their thread through the neutral DriverLoop seam (server.loop)");

  /** Only the control plane uses Apache Ratis. */
  static final ArchRule RATIS_ONLY_IN_THE_CONTROL_PLANE =
      noClasses()
          .that()
          .resideInAPackage("io.hivemind..")
          .and()
          .resideOutsideOfPackage(CONTROL_PLANE)
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.ratis..")
          .because("Ratis is the only consensus code, behind one package");

  /** Nothing the composition root wires imports it; only the launcher (hivemind-cli) starts it. */
  static final ArchRule NOTHING_IMPORTS_THE_COMPOSITION_ROOT =
      noClasses()
          .that()
          .resideInAPackage("io.hivemind..")
          .and()
          .resideOutsideOfPackages(COMPOSITION_ROOT, "io.hivemind.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(COMPOSITION_ROOT)
          .because("the agent package wires the layers; a layer that imports it is upside down");

  /** Modules point one way (docs/architecture.md, "Modules"): nothing reaches up a layer. */
  static final ArchRule API_SEES_NO_OTHER_MODULE =
      moduleMayNotSee("api", "core", "sim", "server", "client", "cli", "control");

  static final ArchRule CORE_SEES_ONLY_THE_API =
      moduleMayNotSee("core", "sim", "server", "client", "cli", "control");

  static final ArchRule SIMULATOR_SEES_NO_AGENT =
      moduleMayNotSee("sim", "server", "client", "cli", "control");

  static final ArchRule SERVER_SEES_NO_FRONT_END =
      moduleMayNotSee("server", "sim", "client", "cli", "control");

  static final ArchRule CLIENT_SEES_ONLY_THE_API =
      moduleMayNotSee("client", "core", "sim", "server", "cli", "control");

  /** No cycles between packages. */
  static final ArchRule NO_PACKAGE_CYCLES =
      slices().matching("io.hivemind.(**)").should().beFreeOfCycles();

  private static ArchRule moduleMayNotSee(String module, String... forbidden) {
    String[] packages = new String[forbidden.length];
    for (int i = 0; i < forbidden.length; i++) {
      packages[i] = "io.hivemind." + forbidden[i] + "..";
    }
    return noClasses()
        .that()
        .resideInAPackage("io.hivemind." + module + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(packages)
        .because("modules point one way: api <- core <- sim, server <- cli");
  }

  private static boolean readsClock(JavaAccess<?> access) {
    JavaClass owner = access.getTargetOwner();
    return CLOCK_READS.contains(owner.getName() + "." + access.getName());
  }

  /**
   * The simple name of the top-level class {@code c} is or sits in: a switch on an enum compiles to
   * a synthetic {@code Wire...$1}, which belongs to its codec.
   */
  private static String topLevelSimpleName(JavaClass c) {
    String name = c.getName().substring(c.getPackageName().length() + 1);
    int nested = name.indexOf('$');
    return nested < 0 ? name : name.substring(0, nested);
  }
}
