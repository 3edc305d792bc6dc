package io.jvmebpf.bpf;

/**
 * A libbpf or kernel call failed. {@link #errno()} is the positive errno (0 when the failure is not
 * a system error, such as a missing library); the message says what was being done and, where one
 * is known, what to do about it.
 */
public final class BpfException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int errno;

  public BpfException(int errno, String message) {
    super(message);
    this.errno = errno;
  }

  public BpfException(String message, Throwable cause) {
    super(message, cause);
    this.errno = 0;
  }

  public int errno() {
    return errno;
  }
}
