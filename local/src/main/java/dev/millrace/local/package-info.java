/**
 * The local stack: real servers on loopback for the Kinesis API (kinesalite), S3 (S3Proxy) and Flink and
 * Spark clusters, started from npm and Maven jars, with their state, logs and ports in one directory.
 * {@code bin/millrace local} is its command ({@link dev.millrace.local.LocalCommand}).
 */
package dev.millrace.local;
