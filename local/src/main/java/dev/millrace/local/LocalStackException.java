package dev.millrace.local;

/** Something the local stack cannot do, said as the command prints it ("port 4568 on 127.0.0.1 is in use"). */
public final class LocalStackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LocalStackException(String message) {
    super(message);
  }
}
