/** The record model shared by every stage: raw records, typed events and windowed result rows. */
package dev.millrace.model;
