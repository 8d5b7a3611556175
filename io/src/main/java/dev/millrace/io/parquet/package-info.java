/** Parquet sinks that write windowed, time-partitioned datasets to any Beam filesystem. */
package dev.millrace.io.parquet;
