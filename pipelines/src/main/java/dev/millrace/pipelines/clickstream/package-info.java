/** The clickstream-analytics pipeline: records to parsed, de-duplicated, windowed page stats. */
package dev.millrace.pipelines.clickstream;
