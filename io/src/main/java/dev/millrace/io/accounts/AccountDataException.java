package dev.millrace.io.accounts;

/** The account data could not be read or broke its contract; the message says where and why. */
public final class AccountDataException extends Exception {
  public AccountDataException(String message) {
    super(message);
  }

  public AccountDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
