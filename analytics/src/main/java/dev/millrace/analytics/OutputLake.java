package dev.millrace.analytics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * An output root of Millrace's templates as SQL: an embedded DuckDB with one view per dataset found
 * under it. Windowed datasets keep only the last pane of each window (their final numbers); an
 * {@code s3://} root is first copied to a temporary directory through Beam's filesystem (DuckDB's S3
 * support is a downloaded extension, and this project downloads from package registries only).
 */
public final class OutputLake implements AutoCloseable {
  /** Dataset -> the columns that identify one window's row (its panes share them); null: keep every row. */
  static final Map<String, String> LAST_PANE_KEYS = Map.of(
      "page_stats", "window_start, page",
      "traffic_stats", "window_start",
      "top_paths", "window_start",
      "fraud_stats", "window_start",
      // Sliding windows: each device has one row per window it had readings in, and its own panes.
      "device_health", "window_start, device_id",
      // Sliding windows as device_health: one row per (window, patient), each with its own panes.
      "vitals_stats", "window_start, patient_id",
      "campaign_stats", "window_start, campaign_id",
      "audience_stats", "window_start, campaign_id, segment");

  private final Path root;
  private final Path downloaded;
  private final Connection connection;
  private final List<String> datasets = new ArrayList<>();

  private OutputLake(Path root, Path downloaded) throws SQLException, IOException {
    this.root = root;
    this.downloaded = downloaded;
    this.connection = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = connection.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
    }
    createViews();
  }

  /** Opens a local directory or an s3:// (any Beam filesystem) prefix. */
  public static OutputLake open(String output, PipelineOptions options) throws IOException, SQLException {
    if (output.contains("://")) {
      Path local = Files.createTempDirectory("millrace-lake-");
      copy(output, local, options);
      return new OutputLake(local, local);
    }
    Path root = Paths.get(output);
    if (!Files.isDirectory(root)) {
      throw new IOException("no output directory " + output);
    }
    return new OutputLake(root, null);
  }

  public Connection connection() {
    return connection;
  }

  /** The datasets found, each a view. */
  public List<String> datasets() {
    return datasets;
  }

  public Path root() {
    return root;
  }

  /**
   * The columns of a dataset's view, in order; empty when the output has no such dataset. Two templates
   * may write datasets of the same name ({@code alerts}: fraud-detection's and predictive-maintenance's),
   * so what a view holds is told by its columns.
   */
  public List<String> columns(String dataset) throws SQLException {
    List<String> columns = new ArrayList<>();
    if (!datasets.contains(dataset)) {
      return columns;
    }
    try (Statement s = connection.createStatement(); java.sql.ResultSet rs = s.executeQuery("DESCRIBE " + dataset)) {
      while (rs.next()) {
        columns.add(rs.getString(1));
      }
    }
    return columns;
  }

  private void createViews() throws IOException, SQLException {
    List<Path> dirs;
    try (Stream<Path> children = Files.list(root)) {
      dirs = children.filter(Files::isDirectory).sorted().collect(Collectors.toList());
    }
    for (Path dir : dirs) {
      String dataset = dir.getFileName().toString();
      if (!dataset.matches("[a-z][a-z0-9_]*") || !hasParquet(dir)) {
        continue;
      }
      String files = "read_parquet('" + dir.toString().replace("'", "''") + "/**/*.parquet', filename = true)";
      String keys = LAST_PANE_KEYS.get(dataset);
      String sql;
      if (keys == null) {
        sql = "SELECT * EXCLUDE (filename) FROM " + files;
      } else if (hasColumn(files, "pane_index")) {
        sql = "SELECT * EXCLUDE (filename) FROM " + files
            + " QUALIFY pane_index = max(pane_index) OVER (PARTITION BY " + keys + ")";
      } else {
        // No pane column: the pane index is in every file name (p<N>).
        sql = "SELECT * EXCLUDE (filename, file_pane) FROM (SELECT *, CAST(regexp_extract(filename, '-p([0-9]+)-', 1) AS INTEGER)"
            + " AS file_pane FROM " + files + ") QUALIFY file_pane = max(file_pane) OVER (PARTITION BY " + keys + ")";
      }
      try (Statement s = connection.createStatement()) {
        s.execute("CREATE VIEW " + dataset + " AS " + sql);
      }
      datasets.add(dataset);
    }
  }

  private boolean hasColumn(String files, String column) throws SQLException {
    try (Statement s = connection.createStatement();
        java.sql.ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + files)) {
      while (rs.next()) {
        if (column.equals(rs.getString(1))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasParquet(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
    }
  }

  private static void copy(String prefix, Path target, PipelineOptions options) throws IOException {
    FileSystems.setDefaultPipelineOptions(options);
    String base = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    MatchResult match = FileSystems.match(base + "/**", EmptyMatchTreatment.ALLOW);
    if (match.metadata().isEmpty()) {
      throw new IOException("nothing under " + prefix);
    }
    for (MatchResult.Metadata object : match.metadata()) {
      String key = object.resourceId().toString().substring(base.length() + 1);
      Path local = target.resolve(key).normalize();
      if (!local.startsWith(target)) {
        continue;
      }
      Files.createDirectories(local.getParent());
      try (InputStream in = Channels.newInputStream(FileSystems.open(object.resourceId()))) {
        Files.copy(in, local);
      }
    }
  }

  @Override
  public void close() throws SQLException, IOException {
    connection.close();
    if (downloaded != null) {
      try (Stream<Path> paths = Files.walk(downloaded)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
          Files.delete(p);
        }
      }
    }
  }
}
