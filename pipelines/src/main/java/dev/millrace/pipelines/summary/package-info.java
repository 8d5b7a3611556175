/** The accounting of a run, read from its Beam metrics, as a printable summary. */
package dev.millrace.pipelines.summary;
