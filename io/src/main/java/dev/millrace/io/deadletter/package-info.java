/** The dead-letter sink: every bad record, with its payload, reason and source, as Parquet. */
package dev.millrace.io.deadletter;
