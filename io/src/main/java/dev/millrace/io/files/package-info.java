/** Bounded file sources: JSON lines (plain or compressed) with file-and-line provenance. */
package dev.millrace.io.files;
