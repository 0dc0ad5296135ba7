package io.realtimegateway.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layering of the README's layout true: imports point down. protocol < engine < socket;
 * room, engine and auth sit below socket; the cluster is reached only through the room adapter and
 * the other interfaces it implements, chosen by wiring; no cycles between packages.
 */
class LayeringTest {

  private static final String BASE = "io.realtimegateway";
  private static JavaClasses gateway;

  @BeforeAll
  static void importMainClasses() {
    gateway =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);
  }

  @Test
  void protocolIsPureJavaAndImportsNothingAboveIt() {
    classes()
        .that()
        .resideInAPackage(BASE + ".protocol..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(BASE + ".protocol..", "java..", "com.fasterxml.jackson..")
        .check(gateway);
  }

  @Test
  void roomDependsOnlyOnProtocol() {
    gatewayDependenciesOf("room").onlyOn("room", "protocol");
  }

  @Test
  void engineDependsOnlyOnProtocolAndConfig() {
    gatewayDependenciesOf("engine").onlyOn("engine", "protocol", "config");
  }

  @Test
  void authDependsOnNeitherSocketsNorRooms() {
    gatewayDependenciesOf("auth").onlyOn("auth", "config", "redis");
  }

  @Test
  void socketSitsOnEngineRoomAndProtocol() {
    gatewayDependenciesOf("socket").onlyOn("socket", "engine", "room", "protocol", "config");
  }

  @Test
  void theClusterIsReachedOnlyThroughWhatWiringChooses() {
    noClasses()
        .that()
        .resideOutsideOfPackages(BASE + ".cluster..", BASE + ".wiring..", BASE + ".health..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(BASE + ".cluster..")
        .check(gateway);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(gateway);
  }

  private static Dependencies gatewayDependenciesOf(String layer) {
    return new Dependencies(layer);
  }

  /** Classes of one package depend, within the gateway, only on the packages named. */
  private record Dependencies(String layer) {
    void onlyOn(String... layers) {
      List<String> allowed = Arrays.stream(layers).map(name -> BASE + "." + name).toList();
      DescribedPredicate<JavaClass> outside =
          DescribedPredicate.describe(
              "gateway classes outside " + String.join(", ", layers),
              target ->
                  target.getPackageName().startsWith(BASE + ".")
                      && allowed.stream()
                          .noneMatch(
                              name ->
                                  target.getPackageName().equals(name)
                                      || target.getPackageName().startsWith(name + ".")));
      noClasses()
          .that()
          .resideInAPackage(BASE + "." + layer + "..")
          .should()
          .dependOnClassesThat(outside)
          .check(gateway);
    }
  }
}
