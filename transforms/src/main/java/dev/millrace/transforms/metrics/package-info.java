/** The names of the accounting metrics every stage reports, so summaries can add them up. */
package dev.millrace.transforms.metrics;
