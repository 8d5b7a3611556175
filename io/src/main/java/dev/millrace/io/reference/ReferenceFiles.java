package dev.millrace.io.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads a reference table (one row per id) from JSON lines (optionally compressed, by extension) or
 * Parquet files on any Beam filesystem, with a row parser per table. All or nothing: a table with any
 * bad row or repeated id is refused as a whole, naming the first problems and where they are, because
 * a partial table would silently change every verdict that depends on a missing row.
 */
public final class ReferenceFiles {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final int PROBLEMS_SHOWN = 5;

  private ReferenceFiles() {}

  /** A row's fields by name; null when absent. */
  public interface Fields {
    @Nullable JsonNode get(String field);
  }

  /** One row from its fields; an {@link IllegalArgumentException} says what is wrong with it. */
  public interface RowParser<R> {
    R parse(Fields fields);
  }

  /** The files a pattern matches now, with their sizes and modification times: what a reload compares. */
  public static List<String> fingerprint(String filepattern) throws IOException {
    List<String> parts = new ArrayList<>();
    for (MatchResult.Metadata file : match(filepattern)) {
      parts.add(file.resourceId() + ":" + file.sizeBytes() + ":" + file.lastModifiedMillis());
    }
    return parts;
  }

  /** Every row of the table {@code what} (e.g. "device registry"), or the problems that refuse it. */
  public static <R> List<R> read(String filepattern, String what, RowParser<R> parser, Function<R, String> idOf)
      throws ReferenceDataException {
    List<MatchResult.Metadata> files;
    try {
      files = match(filepattern);
    } catch (IOException e) {
      throw new ReferenceDataException(what + " " + filepattern + ": cannot list files: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new ReferenceDataException(what + " " + filepattern + ": no file matches");
    }
    List<R> rows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int problemCount = 0;
    for (MatchResult.Metadata file : files) {
      String name = file.resourceId().toString();
      try {
        problemCount += name.endsWith(".parquet")
            ? readParquet(file, parser, rows, problems)
            : readJsonLines(file, parser, rows, problems);
      } catch (IOException | RuntimeException e) {
        throw new ReferenceDataException(what + " " + name + ": cannot read: " + e, e);
      }
    }
    Set<String> ids = new HashSet<>();
    for (R row : rows) {
      if (!ids.add(idOf.apply(row))) {
        problemCount++;
        note(problems, "id '" + idOf.apply(row) + "' appears more than once");
      }
    }
    if (problemCount > 0) {
      throw new ReferenceDataException(what + " " + filepattern + ": " + problemCount + " bad row(s), the table is "
          + "not used; first: " + String.join("; ", problems));
    }
    return rows;
  }

  private static List<MatchResult.Metadata> match(String filepattern) throws IOException {
    List<MatchResult.Metadata> files = new ArrayList<>(
        FileSystems.match(filepattern, EmptyMatchTreatment.ALLOW).metadata());
    // Markers and hidden files (_SUCCESS, .crc) are not data.
    files.removeIf(f -> {
      String file = f.resourceId().getFilename();
      return file == null || file.startsWith("_") || file.startsWith(".") || f.resourceId().isDirectory();
    });
    files.sort((a, b) -> a.resourceId().toString().compareTo(b.resourceId().toString()));
    return files;
  }

  private static <R> int readJsonLines(MatchResult.Metadata file, RowParser<R> parser, List<R> rows,
      List<String> problems) throws IOException {
    String name = file.resourceId().toString();
    Compression compression = Compression.detect(name);
    int bad = 0;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(
        Channels.newInputStream(compression.readDecompressed(FileSystems.open(file.resourceId()))),
        StandardCharsets.UTF_8))) {
      String line;
      long number = 0;
      while ((line = lines.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode node = JSON.readTree(line);
          if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
          }
          rows.add(parser.parse(node::get));
        } catch (JsonProcessingException e) {
          bad++;
          note(problems, name + ":" + number + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
          bad++;
          note(problems, name + ":" + number + ": " + e.getMessage());
        }
      }
    }
    return bad;
  }

  private static <R> int readParquet(MatchResult.Metadata file, RowParser<R> parser, List<R> rows,
      List<String> problems) throws IOException {
    String name = file.resourceId().toString();
    int bad = 0;
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(new ChannelInputFile(file)).build()) {
      GenericRecord record;
      long number = 0;
      while ((record = reader.read()) != null) {
        number++;
        GenericRecord row = record;
        try {
          rows.add(parser.parse(field -> row.hasField(field) ? JSON.valueToTree(plain(row.get(field))) : null));
        } catch (IllegalArgumentException e) {
          bad++;
          note(problems, name + ": row " + number + ": " + e.getMessage());
        }
      }
    }
    return bad;
  }

  /** Avro values as plain Java (Utf8 to String, arrays to lists) for one field-checking path. */
  private static @Nullable Object plain(@Nullable Object value) {
    if (value instanceof Utf8 || value instanceof CharSequence) {
      return value.toString();
    }
    if (value instanceof Collection<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(plain(v)));
      return out;
    }
    if (value instanceof GenericRecord record && record.getSchema().getFields().size() == 1) {
      // Parquet's 3-level lists can come back as records of one element.
      return plain(record.get(0));
    }
    return value;
  }

  /** A required non-empty string field (or an optional one, null when absent). */
  public static @Nullable String text(Fields fields, String field, boolean required) {
    JsonNode node = fields.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        throw new IllegalArgumentException("required field '" + field + "' is missing");
      }
      return null;
    }
    if (!node.isTextual() || (required && node.textValue().isBlank())) {
      throw new IllegalArgumentException("field '" + field + "' must be a non-empty string, but was " + node);
    }
    return node.textValue();
  }

  /** A required finite number field, as its exact decimal. */
  public static java.math.BigDecimal decimal(Fields fields, String field) {
    JsonNode node = fields.get(field);
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("required field '" + field + "' is missing");
    }
    if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
      throw new IllegalArgumentException("field '" + field + "' must be a number, but was " + node);
    }
    return node.decimalValue();
  }

  private static void note(List<String> problems, String problem) {
    if (problems.size() < PROBLEMS_SHOWN) {
      problems.add(problem);
    }
  }
}
