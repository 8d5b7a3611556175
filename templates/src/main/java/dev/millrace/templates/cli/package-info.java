/** The millrace command line: run, demo, templates and help. */
package dev.millrace.templates.cli;
