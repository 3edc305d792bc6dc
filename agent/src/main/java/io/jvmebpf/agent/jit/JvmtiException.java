package io.jvmebpf.agent.jit;

/** The JVMTI helper could not be loaded or started; the message says why and what to do. */
public final class JvmtiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  JvmtiException(String message) {
    super(message);
  }

  JvmtiException(String message, Throwable cause) {
    super(message, cause);
  }
}
