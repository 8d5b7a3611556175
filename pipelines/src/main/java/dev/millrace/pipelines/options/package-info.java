/** Reusable option groups that pipelines compose into their Options, and value parsing for them. */
package dev.millrace.pipelines.options;
