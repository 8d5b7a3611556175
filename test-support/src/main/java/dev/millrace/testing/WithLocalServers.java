package dev.millrace.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The local servers a test class needs, on the tests' stack ({@link LocalServers#TESTS}, on ports found
 * free): those not yet running are started with {@code bin/millrace local up FLAGS} before the class's
 * {@code @BeforeAll} methods, and after its {@code @AfterAll} methods exactly those are stopped with
 * {@code down FLAGS}, as a user starts and stops them. A server that ran before the class runs after it.
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

  /** Runs {@code up} with the class's flags of servers not running, and {@code down} with the same. */
  final class Lifecycle implements BeforeAllCallback, AfterAllCallback {
    private static final List<String> ALL = List.of("--kinesis", "--s3", "--flink", "--spark");
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Lifecycle.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
      Set<String> running = LocalServers.TESTS.running();
      List<String> started = new ArrayList<>();
      for (String flag : flags(context)) {
        if (!running.contains(flag.substring(2))) {
          started.add(flag);
        }
      }
      // Stored before starting: a start that fails half way is still stopped.
      context.getStore(NAMESPACE).put("started", started);
      if (!started.isEmpty()) {
        LocalServers.local(command("up", started));
      }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
      @SuppressWarnings("unchecked")
      List<String> started = context.getStore(NAMESPACE).get("started", List.class);
      if (started != null && !started.isEmpty()) {
        LocalServers.local(command("down", started));
      }
    }

    private static List<String> flags(ExtensionContext context) {
      WithLocalServers servers =
          AnnotationSupport.findAnnotation(context.getRequiredTestClass(), WithLocalServers.class)
              .orElseThrow(() -> new IllegalStateException(
                  "@WithLocalServers is missing on " + context.getDisplayName()));
      for (String flag : servers.value()) {
        if (!ALL.contains(flag)) {
          throw new IllegalArgumentException("@WithLocalServers: " + flag + " is not one of " + ALL);
        }
      }
      return servers.value().length == 0 ? ALL : List.of(servers.value());
    }

    private static String[] command(String verb, List<String> flags) {
      List<String> command = new ArrayList<>(List.of(verb));
      command.addAll(flags);
      return command.toArray(String[]::new);
    }
  }
}
