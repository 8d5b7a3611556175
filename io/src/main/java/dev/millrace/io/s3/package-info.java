/** S3 access for Beam's s3:// filesystem: settings for S3-compatible servers. */
package dev.millrace.io.s3;
