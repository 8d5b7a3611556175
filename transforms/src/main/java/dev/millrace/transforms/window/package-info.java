/** Event-time windowed aggregations with watermarks, allowed lateness and triggers. */
package dev.millrace.transforms.window;
