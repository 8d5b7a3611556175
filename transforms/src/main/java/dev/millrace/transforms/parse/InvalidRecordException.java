package dev.millrace.transforms.parse;

/**
 * Carries a {@link Rejection} into Beam's bad-record routing. Its string form is the human message
 * alone, so a dead letter's {@code message} column reads cleanly; no stack trace is captured because
 * an invalid record is data, not a program error.
 */
public final class InvalidRecordException extends Exception {
  private final transient Rejection rejection;

  public InvalidRecordException(Rejection rejection) {
    super(rejection.message(), null, false, false);
    this.rejection = rejection;
  }

  public Rejection rejection() {
    return rejection;
  }

  @Override
  public String toString() {
    return getMessage();
  }
}
