package dev.millrace.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A query's rows as text: an aligned table, CSV or JSON lines. */
public final class ResultTables {
  private ResultTables() {}

  /** The rows as strings, the first row the column names. */
  public static List<List<String>> rows(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      header.add(meta.getColumnLabel(i));
    }
    rows.add(header);
    while (rs.next()) {
      List<String> row = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        Object v = rs.getObject(i);
        row.add(v == null ? "" : String.valueOf(v));
      }
      rows.add(row);
    }
    return rows;
  }

  public static String format(List<List<String>> rows, String format) {
    switch (format) {
      case "csv":
        StringBuilder csv = new StringBuilder();
        for (List<String> row : rows) {
          csv.append(row.stream().map(ResultTables::csvField).reduce((a, b) -> a + "," + b).orElse("")).append('\n');
        }
        return csv.toString();
      case "json":
        ObjectMapper mapper = new ObjectMapper();
        StringBuilder json = new StringBuilder();
        for (List<String> row : rows.subList(1, rows.size())) {
          ObjectNode node = mapper.createObjectNode();
          for (int i = 0; i < row.size(); i++) {
            node.put(rows.get(0).get(i), row.get(i));
          }
          json.append(node).append('\n');
        }
        return json.toString();
      default:
        return table(rows);
    }
  }

  static String table(List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      for (int i = 0; i < columns; i++) {
        boolean numeric = r > 0 && row.get(i).matches("-?[0-9][0-9.,E-]*");
        String cell = numeric ? String.format("%" + width[i] + "s", row.get(i)) : String.format("%-" + width[i] + "s", row.get(i));
        out.append(i == 0 ? "" : "  ").append(cell);
      }
      out.append('\n');
      if (r == 0) {
        for (int i = 0; i < columns; i++) {
          out.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        out.append('\n');
      }
    }
    out.append(String.format("(%d row%s)%n", rows.size() - 1, rows.size() == 2 ? "" : "s"));
    return out.toString().replaceAll(" +\n", "\n");
  }

  private static String csvField(String v) {
    return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }

  /** Rows as a JSON array of arrays (for the report's embedded data). */
  static ArrayNode jsonArray(ObjectMapper mapper, List<List<String>> rows) {
    ArrayNode array = mapper.createArrayNode();
    for (List<String> row : rows.subList(1, rows.size())) {
      ArrayNode r = array.addArray();
      row.forEach(r::add);
    }
    return array;
  }
}
