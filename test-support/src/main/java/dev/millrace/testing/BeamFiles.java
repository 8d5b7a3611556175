package dev.millrace.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;

/** Copies what a pipeline wrote to any Beam filesystem (s3:// included) to local disk for checking. */
public final class BeamFiles {
  private BeamFiles() {}

  /** Copies every file under {@code prefix} to {@code target}, keeping relative paths. */
  public static Path download(PipelineOptions options, String prefix, Path target) throws IOException {
    FileSystems.setDefaultPipelineOptions(options);
    MatchResult match = FileSystems.match(prefix + "/**");
    for (MatchResult.Metadata object : match.metadata()) {
      String key = object.resourceId().toString().substring(prefix.length() + 1);
      Path local = target.resolve(key);
      Files.createDirectories(local.getParent());
      try (InputStream in = Channels.newInputStream(FileSystems.open(object.resourceId()))) {
        Files.copy(in, local);
      }
    }
    return target;
  }
}
