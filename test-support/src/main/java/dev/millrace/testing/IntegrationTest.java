package dev.millrace.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that needs what {@code mvn test} does not give: the local servers (the Kinesis emulator, S3,
 * the Flink and Spark clusters, started through {@code bin/millrace local}) or the runner jars that
 * {@code mvn package} builds. Surefire runs these in {@code mvn verify}'s integration-test phase only,
 * so {@code mvn test} stays the quick tier: unit and in-process pipeline tests.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(IntegrationTest.TAG)
public @interface IntegrationTest {
  String TAG = "integration";
}
