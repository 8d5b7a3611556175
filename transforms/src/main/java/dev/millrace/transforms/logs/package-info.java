/** Web server log analytics: traffic statistics, top paths and client sessions in event time. */
package dev.millrace.transforms.logs;
