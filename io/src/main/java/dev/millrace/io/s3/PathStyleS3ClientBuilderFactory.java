package dev.millrace.io.s3;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Beam's S3 client, with path-style access whenever an endpoint is set ({@code --endpoint}): S3-
 * compatible servers such as S3Proxy or MinIO on 127.0.0.1 have no per-bucket host names. Against
 * AWS (no endpoint) it is Beam's default client. A loopback endpoint gets region us-east-1 and placeholder
 * keys. Select it with {@code
 * --s3ClientFactoryClass=dev.millrace.io.s3.PathStyleS3ClientBuilderFactory}.
 */
public final class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  private final DefaultS3ClientBuilderFactory defaults = new DefaultS3ClientBuilderFactory();

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    S3ClientBuilder builder = defaults.createBuilder(options);
    if (options.getEndpoint() != null) {
      builder.forcePathStyle(true);
      String host = options.getEndpoint().getHost();
      if ("127.0.0.1".equals(host) || "localhost".equals(host)) {
        // A local server checks no keys and has one region; a laptop may have no AWS setup at all.
        builder
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
      }
    }
    return builder;
  }
}
