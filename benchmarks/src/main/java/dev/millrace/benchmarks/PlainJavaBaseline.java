package dev.millrace.benchmarks;

import dev.millrace.io.deadletter.DeadLetter;
import dev.millrace.model.ClickEvent;
import dev.millrace.model.PageStats;
import dev.millrace.transforms.aggregate.PageTotals;
import dev.millrace.transforms.aggregate.PageTotalsFn;
import dev.millrace.transforms.parse.ClickEventParser;
import dev.millrace.transforms.parse.ParseRecords;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.joda.time.Instant;

/**
 * The practical ceiling for one core: clickstream-analytics's work as a plain single-threaded loop,
 * no Beam runner. Reads JSON lines, parses and validates them with the same parser, de-duplicates by
 * event id, aggregates per page in 1-minute event-time windows with the same combine function, and
 * writes page_stats (one Parquet file per window) and dead letters as Parquet with the same schemas.
 *
 * <p>{@code java -cp ... dev.millrace.benchmarks.PlainJavaBaseline INPUT OUTPUT}
 */
public final class PlainJavaBaseline {
  static final long WINDOW_MILLIS = 60_000;

  private PlainJavaBaseline() {}

  public static void main(String[] args) throws Exception {
    Path input = Paths.get(args[0]);
    Path output = Paths.get(args[1]);
    long started = System.nanoTime();
    ClickEventParser parser = new ClickEventParser(ParseRecords.DEFAULT_MAX_RECORD_BYTES);
    PageTotalsFn combine = new PageTotalsFn();
    Set<String> seen = new HashSet<>();
    Map<Long, Map<String, PageTotals>> windows = new TreeMap<>();
    long read = 0;
    long parsed = 0;
    long duplicates = 0;
    Path deadLetterDir = output.resolve("dead_letter");
    Files.createDirectories(deadLetterDir);
    SchemaRegistry schemas = SchemaRegistry.createDefault();
    try (BufferedReader lines = Files.newBufferedReader(input, StandardCharsets.UTF_8);
        Writer<DeadLetter> deadLetters =
            new Writer<>(schemas, DeadLetter.class, "dead_letter", deadLetterDir.resolve("dead_letter.parquet"))) {
      Instant now = Instant.now();
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        read++;
        ClickEventParser.Outcome outcome = parser.parse(line);
        ClickEvent event = outcome.event();
        if (event == null) {
          deadLetters.write(DeadLetter.create(line, outcome.rejection().reason(), outcome.rejection().message(),
              input.getFileName() + ":" + read, now));
          continue;
        }
        parsed++;
        if (!seen.add(event.getEventId())) {
          duplicates++;
          continue;
        }
        long window = Math.floorDiv(event.getEventTime().getMillis(), WINDOW_MILLIS) * WINDOW_MILLIS;
        Map<String, PageTotals> pages = windows.computeIfAbsent(window, w -> new HashMap<>());
        pages.put(event.getPage(), combine.addInput(
            pages.computeIfAbsent(event.getPage(), p -> combine.createAccumulator()), event));
      }
    }
    long rows = 0;
    Path statsDir = output.resolve("page_stats");
    Files.createDirectories(statsDir);
    for (Map.Entry<Long, Map<String, PageTotals>> window : windows.entrySet()) {
      Instant start = new Instant(window.getKey());
      try (Writer<PageStats> stats = new Writer<>(schemas, PageStats.class, "page_stats",
          statsDir.resolve("page_stats-" + window.getKey() + ".parquet"))) {
        for (Map.Entry<String, PageTotals> page : window.getValue().entrySet()) {
          PageTotals t = combine.extractOutput(page.getValue());
          stats.write(PageStats.builder()
              .setWindowStart(start).setWindowEnd(start.plus(WINDOW_MILLIS)).setPage(page.getKey())
              .setEvents(t.events()).setViews(t.views()).setClicks(t.clicks()).setAddToCarts(t.addToCarts())
              .setPurchases(t.purchases()).setRevenue(t.revenue()).setUniqueUsers(t.uniqueUsers())
              .setPaneIndex(0).setPaneTiming("ON_TIME").build());
          rows++;
        }
      }
    }
    System.out.printf("baseline: read %d, parsed %d, dead-lettered %d, duplicates %d, page_stats rows %d in %.1f s%n",
        read, parsed, read - parsed, duplicates, rows, (System.nanoTime() - started) / 1e9);
  }

  /** Rows of a schema'd type to one Parquet file, through the same Avro schema Millrace's sink uses. */
  /** A file's lines as the file source reads them: malformed UTF-8 becomes U+FFFD, for the parser to judge. */
  static java.io.BufferedReader lenientLines(Path input) throws IOException {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE);
    return new java.io.BufferedReader(new java.io.InputStreamReader(Files.newInputStream(input), decoder));
  }

  static final class Writer<T> implements AutoCloseable {
    private final SerializableFunction<T, Row> toRow;
    private final org.apache.avro.Schema avroSchema;
    private final ParquetWriter<GenericRecord> parquet;

    Writer(SchemaRegistry schemas, Class<T> type, String dataset, Path file) throws NoSuchSchemaException, IOException {
      Schema schema = schemas.getSchema(type);
      this.toRow = schemas.getToRowFunction(type);
      this.avroSchema = AvroUtils.toAvroSchema(schema, dataset, "dev.millrace");
      @SuppressWarnings("deprecation")
      ParquetWriter<GenericRecord> writer =
          AvroParquetWriter.<GenericRecord>builder(new org.apache.hadoop.fs.Path(file.toUri()))
              .withSchema(avroSchema)
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .build();
      this.parquet = writer;
    }

    void write(T value) throws IOException {
      parquet.write(AvroUtils.toGenericRecord(toRow.apply(value), avroSchema));
    }

    @Override
    public void close() throws IOException {
      parquet.close();
    }
  }
}
