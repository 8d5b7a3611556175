/** Kinesis Data Streams: the source of raw records, with event-time watermarks from the payload. */
package dev.millrace.io.kinesis;
