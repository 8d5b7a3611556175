package dev.millrace.testing;

import java.lang.reflect.Method;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * Hands each test method a fresh {@link TestPipeline} and runs the test body through Beam's own JUnit
 * rule, so Beam's checks stay on under JUnit Jupiter: a test that applies transforms but never calls
 * {@code run()} fails with {@code PipelineRunMissingException}, and so does a pipeline with
 * abandoned {@code PAssert}s.
 *
 * <pre>{@code
 * @ExtendWith(BeamPipelineExtension.class)
 * class MyTransformTest {
 *   @Test
 *   void countsWords(TestPipeline p) {
 *     PAssert.that(p.apply(Create.of("a", "b")).apply(Count.globally())).containsInAnyOrder(2L);
 *     p.run();
 *   }
 * }
 * }</pre>
 */
public final class BeamPipelineExtension implements ParameterResolver, InvocationInterceptor {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(BeamPipelineExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestPipeline.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
      throws ParameterResolutionException {
    return pipeline(context);
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    runThroughBeamsRule(invocation, invocationContext, context);
  }

  /** The same for each invocation of a {@code @ParameterizedTest}. */
  @Override
  public void interceptTestTemplateMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    runThroughBeamsRule(invocation, invocationContext, context);
  }

  private static void runThroughBeamsRule(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    TestPipeline pipeline = pipeline(context);
    Method method = invocationContext.getExecutable();
    Statement body =
        new Statement() {
          @Override
          public void evaluate() throws Throwable {
            invocation.proceed();
          }
        };
    Description description =
        Description.createTestDescription(
            method.getDeclaringClass(), method.getName(), method.getAnnotations());
    pipeline.apply(body, description).evaluate();
  }

  private static TestPipeline pipeline(ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            context.getUniqueId(), id -> TestPipeline.create(), TestPipeline.class);
  }
}
