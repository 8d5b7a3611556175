/** Combine functions and their accumulators, independent of windowing. */
package dev.millrace.transforms.aggregate;
