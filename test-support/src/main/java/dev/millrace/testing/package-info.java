/** JUnit Jupiter support for Beam pipelines under test, shared by every module's tests. */
package dev.millrace.testing;
