package io.jvmebpf.bpf;

/** The version of the system libbpf in use; loading it is the check that it is there at all. */
public record LibbpfVersion(int major, int minor) {
  public static LibbpfVersion current() {
    try {
      return new LibbpfVersion(
          (int) Libbpf.libbpf_major_version.invokeExact(), (int) Libbpf.libbpf_minor_version.invokeExact());
    } catch (Throwable t) {
      throw Errors.rethrow(t);
    }
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
