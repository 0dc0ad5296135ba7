package io.realtimegateway.architecture;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Makes every {@code @QuarkusTest} as strict as the native executable about the application's
 * {@link ObjectMapper}: when Jackson builds a bean serializer or deserializer (for a record or POJO
 * it reads through reflection, unlike a {@code JsonNode}, a map or a string) for one of the
 * gateway's types that is not annotated {@code @RegisterForReflection} (itself, or a type it is
 * nested in), the write fails with an IllegalStateException naming the type. In the native
 * executable that type would be written as nothing or not read at all; on the JVM nobody would
 * notice. Test classes are not checked; library types are {@link NativeImageTest}'s.
 *
 * <p>Cheap, since it runs on the event loop: Jackson asks once per type and mapper, and the answer
 * comes from the type's annotations and a look at {@code target/classes}.
 */
@Singleton
public class JacksonReflectionGuard implements ObjectMapperCustomizer {

  private static final Logger LOG = Logger.getLogger(JacksonReflectionGuard.class);

  private static final Path MAIN_CLASSES = Path.of("target", "classes");

  @Override
  public void customize(ObjectMapper mapper) {
    SimpleModule guard = new SimpleModule("native-reflection-guard");
    guard.setSerializerModifier(
        new BeanSerializerModifier() {
          @Override
          public List<BeanPropertyWriter> changeProperties(
              SerializationConfig config, BeanDescription bean, List<BeanPropertyWriter> writers) {
            check(bean.getBeanClass(), "writes");
            return writers;
          }
        });
    guard.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public BeanDeserializerBuilder updateBuilder(
              DeserializationConfig config, BeanDescription bean, BeanDeserializerBuilder builder) {
            check(bean.getBeanClass(), "reads");
            return builder;
          }
        });
    mapper.registerModule(guard);
  }

  private static void check(Class<?> type, String verb) {
    String name = type.getName();
    if (!name.startsWith("io.realtimegateway.") || !isMainClass(name) || isRegistered(type)) {
      return;
    }
    String message =
        "Jackson "
            + verb
            + " "
            + name
            + " through reflection, but the native build does not register it: annotate it"
            + " @RegisterForReflection (README, Native executable)";
    LOG.error(message);
    throw new IllegalStateException(message);
  }

  /** Annotated itself, or nested in a type annotated without targets that keeps nested types. */
  private static boolean isRegistered(Class<?> type) {
    for (Class<?> outer = type; outer != null; outer = outer.getEnclosingClass()) {
      RegisterForReflection registration = outer.getAnnotation(RegisterForReflection.class);
      if (registration != null
          && registration.targets().length == 0
          && registration.classNames().length == 0
          && (outer == type || !registration.ignoreNested())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isMainClass(String name) {
    return Files.isRegularFile(MAIN_CLASSES.resolve(name.replace('.', '/') + ".class"));
  }
}
