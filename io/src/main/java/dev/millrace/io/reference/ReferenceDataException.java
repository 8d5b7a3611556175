package dev.millrace.io.reference;

/** A reference table could not be read or broke its contract; the message says where and why. */
public final class ReferenceDataException extends Exception {
  public ReferenceDataException(String message) {
    super(message);
  }

  public ReferenceDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
