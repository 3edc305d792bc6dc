package io.jvmebpf.agent.symbols;

/**
 * One line of /proc/PID/maps: {@code [start, end)} maps {@code path} from {@code offset}.
 *
 * @param device the file's device as maps prints it ({@code fe:00}), or {@code 00:00}
 * @param path the file, a special name ({@code [vdso]}, {@code [heap]}, {@code anon_inode:...}), or
 *     null for anonymous memory (the JIT code cache, heaps, stacks)
 */
public record Mapping(
    long start, long end, boolean executable, long offset, String device, long inode, String path) {
  private static final String DELETED = " (deleted)";

  public boolean contains(long address) {
    return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
  }

  /** Memory of no file: unnamed, or named by its owner through {@code PR_SET_VMA_ANON_NAME}. */
  public boolean isAnonymous() {
    return path == null || path.startsWith("[anon:") || path.startsWith("[anon_shmem:");
  }

  /** A regular file (possibly deleted since it was mapped), not memory or a special name. */
  public boolean isFile() {
    return path != null && path.startsWith("/");
  }

  public boolean isDeleted() {
    return isFile() && path.endsWith(DELETED);
  }

  /** The file's last name, as frames in it are shown when no symbol names them. */
  public String fileName() {
    String name = isDeleted() ? path.substring(0, path.length() - DELETED.length()) : path;
    return name.substring(name.lastIndexOf('/') + 1);
  }
}
