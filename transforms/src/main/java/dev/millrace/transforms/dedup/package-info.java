/** De-duplication by record id within an event-time horizon. */
package dev.millrace.transforms.dedup;
