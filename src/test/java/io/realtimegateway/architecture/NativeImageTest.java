package io.realtimegateway.architecture;

import static com.tngtech.archunit.lang.conditions.ArchConditions.have;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.realtimegateway.config.Setting;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the gateway buildable as a native executable, which knows at run time only what the build
 * saw (README, Native executable): types Jackson maps are registered for reflection, nothing looks
 * classes or services up at run time, and the MCP SDK gets what it would otherwise look up. {@link
 * JacksonReflectionGuard} checks, during the {@code @QuarkusTest}s, the types Jackson actually
 * maps.
 */
class NativeImageTest {

  private static final String BASE = "io.realtimegateway";

  /**
   * {@code $Inner$Deeper}: nested types, not anonymous or local ones ({@code $1}, {@code $1Local}).
   */
  private static final Pattern NAMED_NESTED = Pattern.compile("(\\$[^$0-9][^$]*)+");

  /** Reflection on a class's members, or loading one by name. */
  private static final Pattern REFLECTIVE_CLASS_METHODS =
      Pattern.compile(
          "forName|newInstance|getDeclared.*|getMethods?|getFields?|getConstructors?"
              + "|getRecordComponents|getEnclosingMethod|getEnclosingConstructor");

  private static JavaClasses gateway;
  private static JavaClasses mcpSchema;

  /** Names of the types registered for reflection, and of those registered with nested types. */
  private static final Set<String> registered = new HashSet<>();

  private static final Set<String> registeredWithNested = new HashSet<>();

  @BeforeAll
  static void importClasses() {
    gateway =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);
    mcpSchema = new ClassFileImporter().importPackagesOf(McpSchema.class);
    for (JavaClass type : gateway) {
      type.tryGetAnnotationOfType(RegisterForReflection.class.getName())
          .ifPresent(registration -> readRegistration(type, registration));
    }
  }

  /**
   * What the native build registers for one {@code @RegisterForReflection}: the annotated type
   * without targets, or the targets, each with its nested types unless {@code ignoreNested = true}.
   */
  private static void readRegistration(JavaClass type, JavaAnnotation<JavaClass> registration) {
    Set<String> targets = new HashSet<>();
    registration
        .get("targets")
        .ifPresent(
            value -> Arrays.stream((JavaClass[]) value).forEach(t -> targets.add(t.getName())));
    registration.get("classNames").ifPresent(value -> targets.addAll(List.of((String[]) value)));
    if (targets.isEmpty()) {
      targets.add(type.getName());
    }
    registered.addAll(targets);
    if (!(Boolean) registration.get("ignoreNested").orElse(Boolean.FALSE)) {
      registeredWithNested.addAll(targets);
    }
  }

  private static boolean isRegistered(String className) {
    return registered.contains(className)
        || registeredWithNested.stream()
            .anyMatch(
                outer ->
                    className.startsWith(outer + "$")
                        && NAMED_NESTED.matcher(className.substring(outer.length())).matches());
  }

  @Test
  void gatewayTypesAnnotatedForJacksonAreRegisteredForReflection() {
    classes()
        .that(carryJacksonAnnotations())
        .should(have(registeredForReflection()))
        .check(gateway);
  }

  @Test
  void mcpSdkTypesAnnotatedForJacksonAreRegisteredForReflection() {
    // The SDK's own mapper reads and writes them; JacksonReflectionGuard does not see that mapper.
    classes()
        .that(carryJacksonAnnotations())
        .should(have(registeredForReflection()))
        .check(mcpSchema);
  }

  @Test
  void nothingLoadsClassesOrServicesOrReflectsAtRunTime() {
    // The one exception: Setting reads GatewayConfig's members to check the settings, and registers
    // exactly those for reflection (SettingTest checks that every group is registered).
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(Setting.class.getName())
        .should()
        .dependOnClassesThat()
        .resideInAPackage("java.lang.reflect..")
        .orShould()
        .dependOnClassesThat()
        .belongToAnyOf(ServiceLoader.class, ClassLoader.class)
        .orShould()
        .callMethodWhere(reflectiveClassMethod())
        .because(
            "the native executable knows only the classes, members and services the build"
                + " registered: CDI and Quarkus' build-time discovery do it for the gateway")
        .check(gateway);
  }

  @Test
  void mcpSdkIsGivenItsJsonMapperAndSchemaValidator() {
    // Left out, the SDK looks them up with ServiceLoader, which finds nothing in a Quarkus native
    // executable (Quarkus turns GraalVM's ServiceLoader support off).
    classes()
        .that(call(HttpClientStreamableHttpTransport.Builder.class, "build"))
        .should(have(call(HttpClientStreamableHttpTransport.Builder.class, "jsonMapper")))
        .check(gateway);
    classes()
        .that(call(McpClient.AsyncSpec.class, "build"))
        .should(have(call(McpClient.AsyncSpec.class, "jsonSchemaValidator")))
        .check(gateway);
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.modelcontextprotocol.json.McpJsonDefaults")
        .orShould()
        .callMethodWhere(
            DescribedPredicate.describe(
                "a synchronous MCP client, whose builder is not checked here",
                (JavaMethodCall call) ->
                    call.getTargetOwner().isEquivalentTo(McpClient.class)
                        && call.getName().equals("sync")))
        .check(gateway);
  }

  private static DescribedPredicate<JavaClass> carryJacksonAnnotations() {
    return DescribedPredicate.describe(
        "carry Jackson annotations",
        type ->
            type.getDirectDependenciesFromSelf().stream()
                .map(Dependency::getTargetClass)
                .anyMatch(
                    target ->
                        target.getPackageName().equals("com.fasterxml.jackson.annotation")
                            && target.isAnnotation()));
  }

  private static DescribedPredicate<JavaClass> registeredForReflection() {
    return DescribedPredicate.describe(
        "@RegisterForReflection (on themselves, as a target, or nested in a registered type)",
        type -> isRegistered(type.getName()));
  }

  private static DescribedPredicate<JavaMethodCall> reflectiveClassMethod() {
    return DescribedPredicate.describe(
        "a method of java.lang.Class that loads a class by name or reflects on its members",
        call ->
            call.getTargetOwner().isEquivalentTo(Class.class)
                && REFLECTIVE_CLASS_METHODS.matcher(call.getName()).matches());
  }

  private static DescribedPredicate<JavaClass> call(Class<?> owner, String method) {
    return DescribedPredicate.describe(
        "call " + owner.getSimpleName() + "." + method + "(..)",
        type ->
            type.getMethodCallsFromSelf().stream()
                .anyMatch(
                    call ->
                        call.getTargetOwner().isEquivalentTo(owner)
                            && call.getName().equals(method)));
  }
}
