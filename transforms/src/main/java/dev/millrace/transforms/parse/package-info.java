/** Parse and validate raw payloads into typed records; invalid ones become bad records with a reason. */
package dev.millrace.transforms.parse;
