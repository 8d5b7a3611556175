package dev.millrace.local;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** S3Proxy, an S3-compatible server, in memory and without authorization, with the bucket {@code millrace}. */
final class S3Server extends SingleProcessServer {
  static final String BUCKET = "millrace";

  S3Server(LocalStack stack) {
    super(stack, "s3", "S3", "s3proxy.pid", "S3Proxy");
  }

  @Override
  public void start() throws IOException {
    Path dir = prepare("S3", "another S3Proxy?");
    if (dir == null) {
      return;
    }
    String classpath = stack.installs().classpath("s3");
    Path properties = dir.resolve("s3proxy.properties");
    Files.writeString(properties, String.join("\n",
        "s3proxy.endpoint=" + endpoint(),
        "s3proxy.authorization=none",
        "jclouds.provider=transient",
        "jclouds.identity=local",
        "jclouds.credential=local", ""), StandardCharsets.UTF_8);
    Processes.start("S3Proxy", pidFile(), dir.resolve("s3proxy.log"),
        List.of(stack.java(), "-Xmx512m", "-cp", classpath, "org.gaul.s3proxy.Main", "--properties", properties.toString()),
        Map.of(), stack.root(), stack.out());
    if (!Processes.waitFor(Duration.ofSeconds(60),
        () -> Processes.get(endpoint() + "/").filter(root -> root.statusCode() < 400).isPresent())) {
      throw new LocalStackException("S3Proxy did not come up; see " + dir.resolve("s3proxy.log"));
    }
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(BUCKET));
    } catch (RuntimeException e) {
      throw new LocalStackException("could not create the bucket '" + BUCKET + "': " + e.getMessage());
    }
    stack.out().println("millrace local: S3 ready: " + endpoint() + ", bucket s3://" + BUCKET + " (see README: Output to S3)");
  }

  /** A path-style client of the server; it takes any credentials and region. */
  S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
  }
}
