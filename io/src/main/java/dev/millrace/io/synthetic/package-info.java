/** A deterministic synthetic producer of clickstream records, bounded or unbounded. */
package dev.millrace.io.synthetic;
