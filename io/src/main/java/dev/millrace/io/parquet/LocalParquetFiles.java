package dev.millrace.io.parquet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** Reads the Parquet files of a local dataset directory back, for summaries and tests. */
public final class LocalParquetFiles {
  private LocalParquetFiles() {}

  /** Every {@code .parquet} file under {@code directory} (or that file), sorted by path. */
  public static List<Path> list(Path directory) throws IOException {
    if (Files.isRegularFile(directory) && directory.getFileName().toString().endsWith(".parquet")) {
      return List.of(directory);
    }
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".parquet"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  /** Every record of every {@code .parquet} file under {@code directory} (or of that file). */
  public static List<GenericRecord> readAll(Path directory) throws IOException {
    List<GenericRecord> records = new ArrayList<>();
    for (Path file : list(directory)) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(
                      new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
              .build()) {
        for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
          records.add(r);
        }
      }
    }
    return records;
  }

  /**
   * The records under {@code directory} as sorted text rows of the given fields ({@code a|b|c|}):
   * datasets compared row for row, whatever their file layout.
   */
  public static List<String> rows(Path directory, String... fields) throws IOException {
    List<String> rows = new ArrayList<>();
    for (GenericRecord r : readAll(directory)) {
      StringBuilder row = new StringBuilder();
      for (String field : fields) {
        row.append(r.get(field)).append('|');
      }
      rows.add(row.toString());
    }
    java.util.Collections.sort(rows);
    return rows;
  }
}
