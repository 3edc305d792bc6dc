package io.jvmebpf.cli;

/** A command that cannot be done, with the sentence that says why and what to do. */
final class CliException extends Exception {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }
}
