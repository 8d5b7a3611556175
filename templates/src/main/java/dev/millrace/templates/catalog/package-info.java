/** The template catalog: every runnable pipeline, its options and how to launch it. */
package dev.millrace.templates.catalog;
