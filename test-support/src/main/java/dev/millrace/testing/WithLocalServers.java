package dev.millrace.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The local servers a test class needs, on the tests' stack ({@link LocalServers#TESTS}): started
 * with {@code bin/millrace local up FLAGS} before the class's {@code @BeforeAll} methods and stopped
 * with {@code down FLAGS} after its {@code @AfterAll} methods, as a user starts and stops them.
 *
 * <pre>{@code
 * @IntegrationTest
 * @WithLocalServers({"--kinesis", "--flink"})
 * class CampaignParityTest { ... }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(WithLocalServers.Lifecycle.class)
public @interface WithLocalServers {
  /**
   * {@code bin/millrace local}'s server flags: {@code --kinesis}, {@code --s3}, {@code --flink},
   * {@code --spark}; none: all.
   */
  String[] value();

  /** Runs {@code up} and {@code down} with the class's flags. */
  final class Lifecycle implements BeforeAllCallback, AfterAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
      LocalServers.local(command("up", context));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
      LocalServers.local(command("down", context));
    }

    private static String[] command(String verb, ExtensionContext context) {
      WithLocalServers servers =
          AnnotationSupport.findAnnotation(context.getRequiredTestClass(), WithLocalServers.class)
              .orElseThrow(() -> new IllegalStateException(
                  "@WithLocalServers is missing on " + context.getDisplayName()));
      List<String> command = new ArrayList<>(List.of(verb));
      command.addAll(List.of(servers.value()));
      return command.toArray(String[]::new);
    }
  }
}
